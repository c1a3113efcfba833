package io.wharf.api.iam;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestAccounts;
import io.wharf.api.WharfNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL schema and one store, as behind a load balancer: both use the one
 * signing key in the database, so a token from either node works on the other, even when both
 * create the key at the same moment.
 */
class SharedTokenKeyIT {

    private static final String REPOSITORY = "shared-key/app";
    private static WharfNodes nodes;
    private static RegistryClient node1;
    private static RegistryClient node2;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        nodes = WharfNodes.start(2, "--wharf.admin-password=" + TestAccounts.ADMIN_PASSWORD);
        node1 = RegistryClient.forPort(nodes.port(0));
        node2 = RegistryClient.forPort(nodes.port(1));
    }

    @AfterAll
    static void stopNodes() {
        nodes.close();
    }

    @Test
    void aTokenIssuedByOneNodeIsAcceptedByTheOther() throws Exception {
        JdbcTemplate jdbc = nodes.node(0).getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM signing_key", Integer.class))
            .as("no token issued yet, so no key yet").isZero();

        // The first token requests of both nodes at once: both find no key and race to create it.
        String scope = "repository:" + REPOSITORY + ":pull,push";
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<String> first1 = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return node1.asAdmin().tokenFor(scope);
        });
        CompletableFuture<String> first2 = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return node2.asAdmin().tokenFor(scope);
        });
        String fromNode1 = first1.get();
        String fromNode2 = first2.get();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM signing_key", Integer.class)).isEqualTo(1);
        assertThat(RegistryClient.jwtHeader(fromNode1).path("kid").asString()).isEqualTo(RegistryClient.jwtHeader(fromNode2).path("kid").asString());
        assertThat(RegistryClient.granted(fromNode1, "repository", REPOSITORY)).isEmpty(); // the project does not exist yet

        node1.asAdmin().createProject("shared-key", false);
        String pushToken = node1.asAdmin().tokenFor(scope);
        assertThat(RegistryClient.granted(pushToken, "repository", REPOSITORY)).containsExactlyInAnyOrder("pull", "push");
        String digest = node2.as(Credentials.bearer(pushToken)).push(REPOSITORY, "v1", TestImage.simple("shared key"));

        String pullFromNode2 = node2.asAdmin().tokenFor("repository:" + REPOSITORY + ":pull");
        Response onNode1 = node1.as(Credentials.bearer(pullFromNode2)).getManifest(REPOSITORY, "v1", TestImage.OCI_MANIFEST);
        assertThat(onNode1.status()).as("node 2's token on node 1: %s", onNode1).isEqualTo(200);
        assertThat(onNode1.headerValue("Docker-Content-Digest")).isEqualTo(digest);
        Response onNode2 = node2.as(Credentials.bearer(node1.asAdmin().tokenFor("repository:" + REPOSITORY + ":pull"))).getManifest(REPOSITORY, "v1", TestImage.OCI_MANIFEST);
        assertThat(onNode2.status()).as("node 1's token on node 2: %s", onNode2).isEqualTo(200);

        // A refresh token travels too.
        Response offline = node1.asAdmin().get("/service/token?service=wharf&offline_token=true").expect(200);
        String refresh = offline.json().path("refresh_token").asString();
        Response refreshed = node2.anonymous().form("/service/token", java.util.Map.of("grant_type", "refresh_token",
            "refresh_token", refresh, "scope", "repository:" + REPOSITORY + ":pull"));
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(RegistryClient.granted(refreshed.json().path("access_token").asString(), "repository", REPOSITORY)).containsExactly("pull");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
