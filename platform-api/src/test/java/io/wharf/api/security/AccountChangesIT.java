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
 * What a login, a console session or a refresh token was made with must still be the account when
 * it is used: an account deleted and created again under the same name is another account, a
 * changed password ends refresh tokens, and a project recreated under an old name does not inherit
 * the grants robots had on the deleted one. Also the edges of the security chains: the internal
 * {@code /v2} mapping cannot be reached around the route filter, and a browser's remembered Basic
 * credentials do not let another site change anything.
 */
class AccountChangesIT {

    private static final String ADMIN_PASSWORD = "Admin12345";
    private static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);

    private static WharfNodes nodes;
    private static RegistryClient http;

    @BeforeAll
    static void start() throws Exception {
        nodes = WharfNodes.start(1, "--wharf.admin-password=" + ADMIN_PASSWORD);
        http = RegistryClient.forPort(nodes.port(0));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void aSessionOfADeletedUserDoesNotOpenTheAccountRecreatedUnderItsName() {
        String name = unique("re");
        long first = createUser(name, "First123x", false);
        ConsoleBrowser browser = new ConsoleBrowser();
        assertThat(browser.login(nodes.port(0), name, "First123x").statusCode()).isEqualTo(302);
        assertThat(browser.get(nodes.port(0), "/api/v2.0/users/current").statusCode()).isEqualTo(200);

        assertThat(http.as(ADMIN).delete("/api/v2.0/users/" + first).status()).isEqualTo(200);
        createUser(name, "Second123x", false);

        assertThat(browser.get(nodes.port(0), "/api/v2.0/users/current").statusCode())
            .as("the old session is not the new account's").isEqualTo(401);
    }

    @Test
    void aCachedLoginOfADeletedAdministratorGivesTheRecreatedAccountNoRights() {
        String name = unique("adm");
        long first = createUser(name, "Same123xy", true);
        Credentials same = Credentials.basic(name, "Same123xy");
        assertThat(http.as(same).get("/api/v2.0/users").status()).as("an administrator, cached").isEqualTo(200);

        assertThat(http.as(ADMIN).delete("/api/v2.0/users/" + first).status()).isEqualTo(200);
        long second = createUser(name, "Same123xy", false);
        // one change brings the new row to the version the old one had when it was cached
        assertThat(http.as(ADMIN).put("/api/v2.0/users/" + second, Map.of("comment", "again")).status()).isEqualTo(200);

        assertThat(http.as(same).get("/api/v2.0/users").status()).as("the new account is no administrator").isEqualTo(403);
    }

    @Test
    void robotGrantsOnADeletedProjectDoNotPassToAProjectRecreatedUnderItsName() {
        String project = unique("gone");
        assertThat(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", project)).status()).isEqualTo(201);
        String robotName = unique("sys");
        Response robot = http.as(ADMIN).post("/api/v2.0/robots", Map.of("name", robotName, "level", "system", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", project, "access",
                List.of(Map.of("resource", "repository", "action", "pull"), Map.of("resource", "repository", "action", "push"))))));
        assertThat(robot.status()).isEqualTo(201);
        Credentials secret = Credentials.basic("robot$" + robotName, robot.json().path("secret").asString());
        assertThat(http.as(secret).send("POST", "/v2/" + project + "/app/blobs/uploads/").status()).as("cached with push").isEqualTo(202);

        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + project).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", project)).status()).isEqualTo(201);

        assertThat(http.as(secret).send("POST", "/v2/" + project + "/app/blobs/uploads/").status())
            .as("no grant on the new project of the same name").isEqualTo(403);
    }

    @Test
    void aRefreshTokenEndsWhenThePasswordChanges() {
        String name = unique("ref");
        long id = createUser(name, "Before123x", false);
        Response login = http.anonymous().form("/service/token", Map.of("grant_type", "password", "username", name,
            "password", "Before123x", "access_type", "offline", "service", "wharf"));
        assertThat(login.status()).isEqualTo(200);
        String refresh = login.json().path("refresh_token").asString();
        assertThat(http.anonymous().form("/service/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh,
            "service", "wharf")).status()).isEqualTo(200);

        assertThat(http.as(ADMIN).put("/api/v2.0/users/" + id + "/password", Map.of("new_password", "After123xy")).status())
            .isEqualTo(200);

        assertThat(http.anonymous().form("/service/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh,
            "service", "wharf")).status()).isEqualTo(401);
    }

    @Test
    void theInternalRegistryMappingCannotBeReachedAroundTheRouteFilter() {
        for (String path : List.of("/_wharf/%762/catalog", "/_wharf/v2/catalog", "/_wharf/v%32/base")) {
            Response response = http.anonymous().get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.errorCode()).as(path).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void anotherSiteCannotRideOnBasicCredentialsABrowserRemembered() {
        Response crossSite = http.as(ADMIN).request("POST", "/api/v2.0/projects").json(Map.of("project_name", unique("xs")))
            .header("Sec-Fetch-Site", "cross-site").send();
        assertThat(crossSite.status()).isEqualTo(403);
        Response sameOrigin = http.as(ADMIN).request("POST", "/api/v2.0/projects").json(Map.of("project_name", unique("so")))
            .header("Sec-Fetch-Site", "same-origin").send();
        assertThat(sameOrigin.status()).isEqualTo(201);
    }

    @Test
    void robotSecretsAreKeptAsBcryptAndLegacyHashesAreUpgradedAtTheNextLogin() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate jdbc = nodes.node(0).getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        String robotName = unique("bc");
        Response created = http.as(ADMIN).post("/api/v2.0/robots", Map.of("name", robotName, "level", "system", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", "library", "access",
                List.of(Map.of("resource", "repository", "action", "pull"))))));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        String secret = created.json().path("secret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(64);
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM robot WHERE id = ?", String.class, id)).startsWith("$2");

        // a chosen secret is hashed the same way
        assertThat(http.as(ADMIN).patch("/api/v2.0/robots/" + id, Map.of("secret", "Chosen123x")).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM robot WHERE id = ?", String.class, id)).startsWith("$2");

        // a secret stored by an earlier version as unsalted SHA-256 still works, once, and is then bcrypt
        String legacy = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest("Legacy123x".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        jdbc.update("UPDATE robot SET secret_hash = ? WHERE id = ?", legacy, id);
        assertThat(http.as(Credentials.basic("robot$" + robotName, "Legacy123x")).get("/v2/").status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM robot WHERE id = ?", String.class, id)).startsWith("$2");
        assertThat(http.as(Credentials.basic("robot$" + robotName, "Legacy123x")).get("/v2/").status()).isEqualTo(200);
    }

    private static long createUser(String name, String password, boolean sysadmin) {
        Response created = http.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "email", name + "@example.com",
            "password", password, "realname", name));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = Long.parseLong(created.header("Location").orElseThrow().replaceAll(".*/", ""));
        if (sysadmin) {
            assertThat(http.as(ADMIN).put("/api/v2.0/users/" + id + "/sysadmin", Map.of("sysadmin_flag", true)).status()).isEqualTo(200);
        }
        return id;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }
}
