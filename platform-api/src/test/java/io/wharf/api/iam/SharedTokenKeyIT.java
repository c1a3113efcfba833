package io.wharf.api.iam;

import io.wharf.api.ApiTestApplication;
import io.wharf.api.iam.IamHttp.Creds;
import io.wharf.api.iam.IamHttp.Response;
import io.wharf.core.testing.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static io.wharf.api.iam.IamHttp.expect;
import static io.wharf.api.iam.IamHttp.granted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL schema and one store, as behind a load balancer: both use the one
 * signing key in the database, so a token from either node works on the other, even when both
 * create the key at the same moment.
 */
class SharedTokenKeyIT {

    private static final String REPOSITORY = "shared-key/app";
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static IamHttp node1;
    private static IamHttp node2;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        String schema = PostgresTestDatabase.newSchema();
        Path dataDir = Files.createTempDirectory("wharf-shared-key");
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(schema)));
            args.add("--wharf.data-dir=" + dataDir);
            args.add("--wharf.admin-password=" + IamHttp.ADMIN_PASSWORD);
            args.add("--server.port=0");
            args.add("--spring.jmx.enabled=false");
            nodes.add(new SpringApplicationBuilder(ApiTestApplication.class).run(args.toArray(String[]::new)));
        }
        node1 = new IamHttp(((WebServerApplicationContext) nodes.get(0)).getWebServer().getPort());
        node2 = new IamHttp(((WebServerApplicationContext) nodes.get(1)).getWebServer().getPort());
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aTokenIssuedByOneNodeIsAcceptedByTheOther() throws Exception {
        JdbcTemplate jdbc = nodes.get(0).getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM signing_key", Integer.class))
            .as("no token issued yet, so no key yet").isZero();

        // The first token requests of both nodes at once: both find no key and race to create it.
        String scope = "repository:" + REPOSITORY + ":pull,push";
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<String> first1 = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return node1.token(Creds.admin(), scope);
        });
        CompletableFuture<String> first2 = CompletableFuture.supplyAsync(() -> {
            await(barrier);
            return node2.token(Creds.admin(), scope);
        });
        String fromNode1 = first1.get();
        String fromNode2 = first2.get();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM signing_key", Integer.class)).isEqualTo(1);
        assertThat(IamHttp.jwtHeader(fromNode1).path("kid").asString()).isEqualTo(IamHttp.jwtHeader(fromNode2).path("kid").asString());
        assertThat(granted(fromNode1, REPOSITORY)).isEmpty(); // the project does not exist yet

        node1.createProject(Creds.admin(), "shared-key", false);
        String pushToken = node1.token(Creds.admin(), scope);
        assertThat(granted(pushToken, REPOSITORY)).containsExactlyInAnyOrder("pull", "push");
        String digest = node2.pushImage(Creds.bearer(pushToken), REPOSITORY, "v1", "shared key");

        String pullFromNode2 = node2.token(Creds.admin(), "repository:" + REPOSITORY + ":pull");
        Response onNode1 = node1.getManifest(Creds.bearer(pullFromNode2), REPOSITORY, "v1");
        assertThat(onNode1.status()).as("node 2's token on node 1: %s", onNode1).isEqualTo(200);
        assertThat(onNode1.header("Docker-Content-Digest")).isEqualTo(digest);
        Response onNode2 = node2.getManifest(Creds.bearer(node1.token(Creds.admin(), "repository:" + REPOSITORY + ":pull")),
            REPOSITORY, "v1");
        assertThat(onNode2.status()).as("node 1's token on node 2: %s", onNode2).isEqualTo(200);

        // A refresh token travels too.
        Response offline = expect(node1.get("/service/token?service=wharf&offline_token=true", Creds.admin()), 200);
        String refresh = offline.json().path("refresh_token").asString();
        Response refreshed = node2.form("/service/token", Creds.NONE, java.util.Map.of("grant_type", "refresh_token",
            "refresh_token", refresh, "scope", "repository:" + REPOSITORY + ":pull"));
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(granted(refreshed.json().path("access_token").asString(), REPOSITORY)).containsExactly("pull");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
