package io.wharf.api.replication;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v2.0/registries}, {@code /replication/adapters} and {@code /replication/policies}:
 * Harbor's shapes, secrets that never come back and are encrypted at rest, validation, and access
 * for system administrators only.
 */
class ReplicationApiIT extends AccountsIntegrationTest {

    @Autowired
    SecretCipher cipher;

    static Map<String, Object> registry(String name, String type, String url, String key, String secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("url", url);
        body.put("credential", Map.of("type", "basic", "access_key", key, "access_secret", secret));
        body.put("insecure", false);
        body.put("description", "test registry");
        return body;
    }

    long createRegistry(String name, String type) {
        Response created = http.as(ADMIN).post("/api/v2.0/registries",
            registry(name, type, "https://registry.example.test/", "robot", "s3cret-" + name));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    @Test
    void registriesAreHarborShapedAndTheirSecretsWriteOnlyAndEncrypted() {
        String name = unique("reg");
        long id = createRegistry(name, "docker-registry");

        Response read = http.as(ADMIN).get("/api/v2.0/registries/" + id);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode json = read.json();
        assertThat(json.path("name").asString()).isEqualTo(name);
        assertThat(json.path("type").asString()).isEqualTo("docker-registry");
        assertThat(json.path("url").asString()).as("trailing slash dropped").isEqualTo("https://registry.example.test");
        assertThat(json.path("credential").path("access_key").asString()).isEqualTo("robot");
        assertThat(json.path("credential").path("access_secret").asString()).isEqualTo("*****");
        assertThat(json.path("creation_time").asString()).isNotBlank();
        assertThat(read.text()).doesNotContain("s3cret");

        String stored = jdbc.queryForObject("SELECT access_secret FROM registry_endpoint WHERE id = ?", String.class, id);
        assertThat(stored).startsWith("v1:").doesNotContain("s3cret");

        Response list = http.as(ADMIN).get("/api/v2.0/registries?q=name%3D" + name);
        assertThat(names(list, "name")).containsExactly(name);
        assertThat(list.header("X-Total-Count")).contains("1");
        assertThat(list.text()).doesNotContain("s3cret");

        // an update that sends the mask back keeps the secret; a new description is stored
        Map<String, Object> update = registry(name, "docker-registry", "https://registry.example.test", "robot", "*****");
        update.put("description", "changed");
        assertThat(http.as(ADMIN).put("/api/v2.0/registries/" + id, update).status()).isEqualTo(200);
        assertThat(cipher.decrypt(jdbc.queryForObject("SELECT access_secret FROM registry_endpoint WHERE id = ?", String.class, id),
            "registry:" + id)).as("the secret was kept").isEqualTo("s3cret-" + name);
        assertThat(http.as(ADMIN).get("/api/v2.0/registries/" + id).json().path("description").asString()).isEqualTo("changed");

        assertHarborError(http.as(ADMIN).post("/api/v2.0/registries", registry(name, "docker-registry", "https://x.test", "", "")),
            409, "CONFLICT");
        assertThat(http.as(ADMIN).delete("/api/v2.0/registries/" + id).status()).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/registries/" + id), 404, "NOT_FOUND");
    }

    @Test
    void badRegistriesAreRefusedWithHarborErrors() {
        assertHarborError(http.as(ADMIN).post("/api/v2.0/registries", registry(unique("r"), "quay-magic", "https://x.test", "", "")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/registries", registry(unique("r"), "docker-hub", "ftp://x.test", "", "")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/registries",
            registry(unique("r"), "docker-hub", "https://user:pw@x.test", "", "")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/registries", Map.of("type", "docker-hub")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/registries/999999"), 404, "NOT_FOUND");
    }

    @Test
    void onlySystemAdministratorsSeeOrChangeReplication() {
        String developer = unique("dev");
        createUser(developer);
        long id = createRegistry(unique("reg"), "docker-registry");
        for (String path : List.of("/api/v2.0/registries", "/api/v2.0/registries/" + id, "/api/v2.0/replication/adapters",
            "/api/v2.0/replication/policies", "/api/v2.0/replication/executions")) {
            assertHarborError(http.as(user(developer)).get(path), 403, "FORBIDDEN");
            assertHarborError(http.anonymous().get(path), 401, "UNAUTHORIZED");
        }
        assertHarborError(http.as(user(developer)).post("/api/v2.0/registries",
            registry(unique("r"), "docker-hub", "https://x.test", "", "")), 403, "FORBIDDEN");
        assertHarborError(http.as(user(developer)).delete("/api/v2.0/registries/" + id), 403, "FORBIDDEN");
    }

    @Test
    void adaptersNameTheSupportedRegistryTypes() {
        Response adapters = http.as(ADMIN).get("/api/v2.0/replication/adapters");
        assertThat(adapters.status()).isEqualTo(200);
        assertThat(adapters.json().valueStream().map(JsonNode::asString).toList())
            .containsExactly("docker-hub", "docker-registry", "harbor", "wharf");
    }

    static Map<String, Object> pullPolicy(String name, long registryId, String project, List<Map<String, Object>> filters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("src_registry", Map.of("id", registryId));
        body.put("dest_namespace", project);
        body.put("dest_namespace_replace_count", 1);
        body.put("trigger", Map.of("type", "scheduled", "trigger_settings", Map.of("cron", "0 0 3 * * *")));
        body.put("filters", filters);
        body.put("override", true);
        body.put("enabled", true);
        return body;
    }

    @Test
    void policiesAreHarborShapedAndValidated() {
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long hub = createRegistry(unique("hub"), "docker-hub");
        String name = unique("pol");
        List<Map<String, Object>> filters = List.of(Map.of("type", "name", "value", "library/**"),
            Map.of("type", "tag", "value", "1.2*", "decoration", "matches"),
            Map.of("type", "platform", "value", "linux/amd64"));
        Response created = http.as(ADMIN).post("/api/v2.0/replication/policies", pullPolicy(name, hub, project, filters));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = idFromLocation(created);

        JsonNode policy = http.as(ADMIN).get("/api/v2.0/replication/policies/" + id).json();
        assertThat(policy.path("name").asString()).isEqualTo(name);
        assertThat(policy.path("src_registry").path("id").asLong()).isEqualTo(hub);
        assertThat(policy.path("src_registry").path("credential").path("access_secret").asString()).isEqualTo("*****");
        assertThat(policy.path("dest_registry").path("id").asLong()).as("Harbor's local registry").isZero();
        assertThat(policy.path("dest_namespace").asString()).isEqualTo(project);
        assertThat(policy.path("dest_namespace_replace_count").asInt()).isEqualTo(1);
        assertThat(policy.path("trigger").path("type").asString()).isEqualTo("scheduled");
        assertThat(policy.path("trigger").path("trigger_settings").path("cron").asString()).isEqualTo("0 0 3 * * *");
        assertThat(policy.path("filters").valueStream().map(f -> f.path("type").asString() + "=" + f.path("value").asString()).toList())
            .containsExactly("name=library/**", "tag=1.2*", "platform=linux/amd64");
        assertThat(policy.path("enabled").asBoolean()).isTrue();
        assertThat(policy.path("speed").asInt()).isEqualTo(-1);

        assertThat(names(http.as(ADMIN).get("/api/v2.0/replication/policies?name=" + name), "name")).containsExactly(name);

        Response disabled = http.as(ADMIN).put("/api/v2.0/replication/policies/" + id, Map.of("enabled", false));
        assertThat(disabled.status()).as("%s", disabled).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/replication/policies/" + id).json().path("enabled").asBoolean()).isFalse();
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/executions", Map.of("policy_id", id)), 412, "PRECONDITION");

        assertHarborError(http.as(ADMIN).delete("/api/v2.0/registries/" + hub), 412, "PRECONDITION");
        assertThat(http.as(ADMIN).delete("/api/v2.0/replication/policies/" + id).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).delete("/api/v2.0/registries/" + hub).status()).as("no policy uses it now").isEqualTo(200);
    }

    @Test
    void inconsistentPoliciesAreRefused() {
        String project = unique("mirror");
        createProject(project, false, ADMIN);
        long hub = createRegistry(unique("hub"), "docker-hub");
        long other = createRegistry(unique("reg"), "docker-registry");
        List<Map<String, Object>> library = List.of(Map.of("type", "name", "value", "library/**"));

        Map<String, Object> noNamespace = pullPolicy(unique("p"), hub, project, List.of(Map.of("type", "name", "value", "**")));
        assertThat(assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", noNamespace), 400, "BAD_REQUEST")
            .path("message").asString()).contains("Docker Hub");

        Map<String, Object> badCron = pullPolicy(unique("p"), hub, project, library);
        badCron.put("trigger", Map.of("type", "scheduled", "trigger_settings", Map.of("cron", "every day")));
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", badCron), 400, "BAD_REQUEST");

        Map<String, Object> bothSides = pullPolicy(unique("p"), hub, project, library);
        bothSides.put("dest_registry", Map.of("id", other));
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", bothSides), 400, "BAD_REQUEST");

        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies",
            pullPolicy(unique("p"), hub, unique("nosuchproject"), library)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", pullPolicy(unique("p"), 999999, project, library)),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies",
            pullPolicy(unique("p"), other, project, List.of(Map.of("type", "tag", "value", "[unclosed")))), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies",
            pullPolicy(unique("p"), other, project, List.of(Map.of("type", "platform", "value", "amd64")))), 400, "BAD_REQUEST");

        Map<String, Object> eventPull = pullPolicy(unique("p"), other, project, library);
        eventPull.put("trigger", Map.of("type", "event_based"));
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", eventPull), 400, "BAD_REQUEST");

        String taken = unique("p");
        assertThat(http.as(ADMIN).post("/api/v2.0/replication/policies", pullPolicy(taken, other, project, library)).status()).isEqualTo(201);
        assertHarborError(http.as(ADMIN).post("/api/v2.0/replication/policies", pullPolicy(taken, other, project, library)), 409, "CONFLICT");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/replication/policies/999999"), 404, "NOT_FOUND");
    }
}
