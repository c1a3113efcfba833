package io.wharf.api.security;

import io.wharf.api.WharfNodes;
import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database, as behind a load balancer: nothing one node keeps may make it disagree
 * with the other. A console session opened on one node is valid on the other and ends on both; a
 * password changed on one node stops the old password on the other at once, although that node had
 * just cached a successful check of it; a robot disabled on one node is refused by the other.
 */
class TwoNodeSharedStateIT {

    private static final String ADMIN_PASSWORD = "Admin12345";
    private static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);

    private static WharfNodes nodes;
    private static RegistryClient node1;
    private static RegistryClient node2;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        nodes = WharfNodes.start(2, "--wharf.admin-password=" + ADMIN_PASSWORD);
        node1 = RegistryClient.forPort(nodes.port(0));
        node2 = RegistryClient.forPort(nodes.port(1));
    }

    @AfterAll
    static void stopNodes() {
        nodes.close();
    }

    @Test
    void aConsoleSessionFromOneNodeIsValidOnTheOtherAndEndsOnBoth() {
        ConsoleBrowser browser = new ConsoleBrowser();
        assertThat(browser.login(nodes.port(0), "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);

        assertThat(browser.get(nodes.port(1), "/api/v2.0/users/current").statusCode())
            .as("the session opened on node 1 is known to node 2").isEqualTo(200);

        assertThat(browser.logout(nodes.port(1)).statusCode()).isEqualTo(302);
        assertThat(browser.get(nodes.port(0), "/api/v2.0/users/current").statusCode())
            .as("logging out on node 2 ends the session on node 1").isEqualTo(401);
    }

    @Test
    void aPasswordChangedOnOneNodeStopsTheOldPasswordOnTheOtherAtOnce() {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(node1.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "email", name + "@example.com",
            "password", "Old12345x", "realname", "x")).status()).isEqualTo(201);
        Credentials old = Credentials.basic(name, "Old12345x");
        Response me = node2.as(old).get("/api/v2.0/users/current");
        assertThat(me.status()).as("node 2 checks and caches the password").isEqualTo(200);
        long id = me.json().path("user_id").asLong();

        assertThat(node1.as(old).put("/api/v2.0/users/" + id + "/password",
            Map.of("old_password", "Old12345x", "new_password", "New12345x")).status()).isEqualTo(200);

        assertThat(node2.as(old).get("/api/v2.0/users/current").status()).as("node 2 no longer takes the old password")
            .isEqualTo(401);
        assertThat(node2.as(old).get("/v2/").status()).isEqualTo(401);
        assertThat(node2.as(Credentials.basic(name, "New12345x")).get("/api/v2.0/users/current").status()).isEqualTo(200);
    }

    @Test
    void aConsoleSessionEndsOnEveryNodeWhenItsPasswordChanges() {
        String name = "s" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(node1.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "email", name + "@example.com",
            "password", "Old12345x", "realname", "x")).status()).isEqualTo(201);
        ConsoleBrowser browser = new ConsoleBrowser();
        assertThat(browser.login(nodes.port(0), name, "Old12345x").statusCode()).isEqualTo(302);
        long id = node1.as(Credentials.basic(name, "Old12345x")).get("/api/v2.0/users/current").json().path("user_id").asLong();

        assertThat(node2.as(ADMIN).put("/api/v2.0/users/" + id + "/password", Map.of("new_password", "New12345x")).status())
            .isEqualTo(200);

        assertThat(browser.get(nodes.port(0), "/api/v2.0/users/current").statusCode())
            .as("the session from before the password change is over").isEqualTo(401);
    }

    @Test
    void aRobotDisabledOnOneNodeIsRefusedByTheOther() {
        String robotName = "r" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> robot = Map.of("name", robotName, "level", "system", "duration", -1, "permissions",
            List.of(Map.of("kind", "project", "namespace", "library",
                "access", List.of(Map.of("resource", "repository", "action", "pull")))));
        Response created = node1.as(ADMIN).post("/api/v2.0/robots", robot);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        Credentials secret = Credentials.basic("robot$" + robotName, created.json().path("secret").asString());
        assertThat(node2.as(secret).get("/v2/").status()).isEqualTo(200);

        Map<String, Object> disabled = new java.util.LinkedHashMap<>(robot);
        disabled.put("disable", true);
        assertThat(node1.as(ADMIN).put("/api/v2.0/robots/" + id, disabled).status()).isEqualTo(200);

        assertThat(node2.as(secret).get("/v2/").status()).as("node 2 refuses the disabled robot at once").isEqualTo(401);
    }
}
