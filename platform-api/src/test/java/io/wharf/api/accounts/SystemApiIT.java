package io.wharf.api.accounts;

import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v2.0/ping}, {@code /health}, {@code /systeminfo}, {@code /statistics} and {@code /search}:
 * Harbor's shapes, and what each caller (administrator, member, non-member, robot, anonymous) sees.
 */
class SystemApiIT extends AccountsIntegrationTest {

    @Test
    void pingAnswersPongInPlainTextToAnyone() {
        Response pong = http.as(Credentials.NONE).get("/api/v2.0/ping");
        assertThat(pong.status()).isEqualTo(200);
        assertThat(pong.header("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(pong.text()).isEqualTo("Pong");
    }

    @Test
    void healthReportsTheDatabaseAndTheStorageAsHealthy() {
        Response health = http.as(Credentials.NONE).get("/api/v2.0/health").expect(200);
        assertThat(health.json().path("status").asString()).isEqualTo("healthy");
        assertThat(names(health.json().path("components"), "name")).containsExactly("database", "storage");
        health.json().path("components").forEach(c -> assertThat(c.path("status").asString()).isEqualTo("healthy"));
    }

    @Test
    void anonymousCallersGetTheReducedSystemInfoAndUsersTheWholeOfIt() {
        JsonNode anonymous = http.as(Credentials.NONE).get("/api/v2.0/systeminfo").expect(200).json();
        assertThat(anonymous.path("auth_mode").asString()).isEqualTo("db_auth");
        assertThat(anonymous.path("self_registration").asBoolean(true)).isFalse();
        assertThat(List.copyOf(anonymous.propertyNames())).doesNotContain("harbor_version", "external_url", "registry_url", "read_only");

        String alice = unique("si");
        createUser(alice);
        JsonNode full = http.as(user(alice)).get("/api/v2.0/systeminfo").expect(200).json();
        assertThat(full.path("harbor_version").asString()).startsWith("v0.");
        assertThat(full.path("external_url").asString()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(full.path("registry_url").asString()).isEqualTo("127.0.0.1:" + port);
        assertThat(full.path("has_ca_root").asBoolean(true)).isFalse();
        assertThat(full.path("read_only").asBoolean(true)).isFalse();
        assertThat(full.path("with_chartmuseum").asBoolean(true)).isFalse();
        assertThat(full.path("notification_enable").asBoolean(true)).isFalse();
        assertThat(full.path("registry_storage_provider_name").asString()).isEqualTo("filesystem");
        assertThat(full.path("current_time").asString()).endsWith("Z");
    }

    @Test
    void statisticsCountWhatTheCallerSeesAndOnlyAdministratorsLearnTheStorage() {
        String owner = unique("st");
        String stranger = unique("st");
        createUser(owner);
        createUser(stranger);
        String priv = unique("st-priv");
        String pub = unique("st-pub");
        createProject(priv, false, user(owner));
        createProject(pub, true, user(owner));
        http.as(user(owner)).push(priv + "/app", "1", TestImage.simple(priv + " one"));
        http.as(user(owner)).push(priv + "/tool", "1", TestImage.simple(priv + " two"));
        http.as(user(owner)).push(pub + "/app", "1", TestImage.simple(pub + " one"));

        assertHarborError(http.as(Credentials.NONE).get("/api/v2.0/statistics"), 401, "UNAUTHORIZED");

        long publicProjects = jdbc.queryForObject("SELECT COUNT(*) FROM project WHERE public", Long.class);
        JsonNode mine = http.as(user(owner)).get("/api/v2.0/statistics").expect(200).json();
        assertThat(mine.path("private_project_count").asLong()).isEqualTo(1);
        assertThat(mine.path("private_repo_count").asLong()).isEqualTo(2);
        assertThat(mine.path("public_project_count").asLong()).isEqualTo(publicProjects);
        assertThat(mine.path("total_project_count").asLong()).isEqualTo(publicProjects + 1);
        assertThat(mine.path("total_storage_consumption").asLong()).isZero();

        JsonNode theirs = http.as(user(stranger)).get("/api/v2.0/statistics").expect(200).json();
        assertThat(theirs.path("private_project_count").asLong()).isZero();
        assertThat(theirs.path("private_repo_count").asLong()).isZero();

        JsonNode admin = http.as(ADMIN).get("/api/v2.0/statistics").expect(200).json();
        assertThat(admin.path("total_project_count").asLong()).isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM project", Long.class));
        assertThat(admin.path("total_repo_count").asLong()).isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM repository", Long.class));
        assertThat(admin.path("private_project_count").asLong() + admin.path("public_project_count").asLong())
            .isEqualTo(admin.path("total_project_count").asLong());
        long blobs = jdbc.queryForObject("SELECT SUM(size) FROM blob", Long.class);
        assertThat(admin.path("total_storage_consumption").asLong()).isEqualTo(blobs).isPositive();
    }

    @Test
    void searchFindsVisibleProjectsAndRepositoriesOnly() {
        String owner = unique("se");
        String stranger = unique("se");
        createUser(owner);
        createUser(stranger);
        String word = unique("needle");
        String priv = word + "-priv";
        String pub = word + "-pub";
        createProject(priv, false, user(owner));
        createProject(pub, true, user(owner));
        http.as(user(owner)).push(priv + "/app", "1", TestImage.simple(priv));
        http.as(user(owner)).push(pub + "/app", "1", TestImage.simple(pub));

        JsonNode mine = http.as(user(owner)).get("/api/v2.0/search?q=" + word).expect(200).json();
        assertThat(names(mine.path("project"), "name")).containsExactlyInAnyOrder(priv, pub);
        assertThat(names(mine.path("repository"), "repository_name")).containsExactlyInAnyOrder(priv + "/app", pub + "/app");
        JsonNode repository = mine.path("repository").get(0);
        assertThat(List.copyOf(repository.propertyNames())).contains("project_id", "project_name", "project_public",
            "repository_name", "pull_count", "artifact_count");
        assertThat(repository.path("artifact_count").asLong()).isEqualTo(1);
        assertThat(mine.path("project").get(0).path("current_user_role_id").asInt()).isEqualTo(1);

        for (Credentials outsider : List.of(user(stranger), Credentials.NONE)) {
            JsonNode theirs = http.as(outsider).get("/api/v2.0/search?q=" + word).expect(200).json();
            assertThat(names(theirs.path("project"), "name")).containsExactly(pub);
            assertThat(names(theirs.path("repository"), "repository_name")).containsExactly(pub + "/app");
        }
        assertThat(names(http.as(ADMIN).get("/api/v2.0/search?q=" + word + "-priv").expect(200).json().path("repository"),
            "repository_name")).containsExactly(priv + "/app");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/search"), 400, "BAD_REQUEST");
    }

    @Test
    void existingResponsesCarryHarborsRemainingFields() {
        String owner = unique("hf");
        long id = createUser(owner);
        String project = unique("hf");
        createProject(project, false, user(owner));
        JsonNode me = http.as(user(owner)).get("/api/v2.0/users/" + id).expect(200).json();
        assertThat(me.has("admin_role_in_auth")).isTrue();
        assertThat(me.path("admin_role_in_auth").asBoolean(true)).isFalse();

        JsonNode p = http.as(user(owner)).get("/api/v2.0/projects/" + project).expect(200).json();
        assertThat(p.has("registry_id")).isTrue();
        assertThat(p.path("registry_id").isNull()).isTrue();
        JsonNode allowlist = p.path("cve_allowlist");
        assertThat(allowlist.path("items").isArray()).isTrue();
        assertThat(allowlist.path("items").size()).isZero();
        assertThat(allowlist.path("project_id").asLong()).isEqualTo(p.path("project_id").asLong());

        Response robot = http.as(user(owner)).post("/api/v2.0/robots", Map.of("name", "ci", "level", "project", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", project,
                "access", List.of(Map.of("resource", "repository", "action", "pull"))))));
        assertThat(robot.status()).as("%s", robot).isEqualTo(201);
        JsonNode read = http.as(user(owner)).get("/api/v2.0/robots/" + robot.json().path("id").asLong()).expect(200).json();
        assertThat(read.path("permissions").get(0).path("access").get(0).path("effect").asString()).isEqualTo("allow");
    }

    static List<String> names(JsonNode array, String field) {
        assertThat(array.isArray()).as("%s", array).isTrue();
        return array.valueStream().map(n -> n.path(field).asString()).toList();
    }
}
