package io.wharf.api.scanner;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import io.wharf.testkit.scanner.ScannerAdapterEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v2.0/scanners} and {@code /api/v2.0/projects/{p}/scanner} against the adapter emulator:
 * Harbor's shapes, validation by the adapter's metadata, one default, credentials encrypted at rest
 * and masked, each project's scanner with its fallback to the default, and who may do what.
 */
class ScannerRegistrationIT extends AccountsIntegrationTest {

    private static ScannerAdapterEmulator adapter;

    @Autowired
    SecretCipher cipher;

    @BeforeAll
    static void startAdapter() {
        adapter = ScannerAdapterEmulator.start();
    }

    @AfterAll
    static void stopAdapter() {
        adapter.close();
    }

    @BeforeEach
    void resetAdapter() {
        adapter.failWith(0, "").requireAuth("", "").hang(Duration.ZERO).metadataVersion("1.1").sbom(false)
            .scanner("Emulated Trivy", "Wharf tests", "0.1.0");
    }

    static Map<String, Object> scanner(String name, String url, String auth, String credential) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "test scanner");
        body.put("url", url);
        body.put("auth", auth);
        body.put("access_credential", credential);
        body.put("skip_certVerify", false);
        body.put("use_internal_addr", false);
        body.put("disabled", false);
        return body;
    }

    String create(String name) {
        return create(scanner(name, adapter.url().toString(), "", ""));
    }

    String create(Map<String, Object> body) {
        Response created = http.as(ADMIN).post("/api/v2.0/scanners", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String location = created.header("Location").orElseThrow();
        assertThat(location).startsWith("/api/v2.0/scanners/");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    int defaults() {
        return jdbc.queryForObject("SELECT count(*) FROM scanner_registration WHERE is_default", Integer.class);
    }

    @Test
    void registrationsAreHarborShapedAndValidatedByTheAdaptersMetadata() {
        adapter.scanner("Trivy", "Aqua Security", "0.50.1");
        String name = unique("trivy");
        String uuid = create(scanner(name, adapter.url() + "/", "", ""));

        Response read = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode json = read.json();
        assertThat(json.path("uuid").asString()).isEqualTo(uuid);
        assertThat(json.path("name").asString()).isEqualTo(name);
        assertThat(json.path("description").asString()).isEqualTo("test scanner");
        assertThat(json.path("url").asString()).as("trailing slash dropped").isEqualTo(adapter.url().toString());
        assertThat(json.path("auth").asString()).isEmpty();
        assertThat(json.path("access_credential").asString()).isEmpty();
        assertThat(json.path("disabled").asBoolean()).isFalse();
        assertThat(json.path("skip_certVerify").asBoolean()).isFalse();
        assertThat(json.path("use_internal_addr").asBoolean()).isFalse();
        assertThat(json.path("adapter").asString()).isEqualTo("Trivy");
        assertThat(json.path("vendor").asString()).isEqualTo("Aqua Security");
        assertThat(json.path("version").asString()).isEqualTo("0.50.1");
        assertThat(json.path("create_time").asString()).isNotBlank();
        assertThat(json.path("update_time").asString()).isNotBlank();
        assertThat(json.has("is_default")).isTrue();
        assertThat(defaults()).as("a registration exists, so exactly one is the default").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE resource_type = 'scanner' AND operation = 'create'"
            + " AND resource = ? AND username = 'admin'", Integer.class, name)).as("audited").isEqualTo(1);

        Response list = http.as(ADMIN).get("/api/v2.0/scanners?q=name%3D" + name);
        assertThat(names(list, "uuid")).containsExactly(uuid);
        assertThat(list.header("X-Total-Count")).contains("1");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/scanners?q=name%3D~" + name.substring(0, 7) + "&page_size=100"), "name"))
            .contains(name);

        Map<String, Object> update = scanner(name, adapter.url().toString(), "", "");
        update.put("description", "changed");
        update.put("disabled", true);
        assertThat(http.as(ADMIN).put("/api/v2.0/scanners/" + uuid, update).status()).isEqualTo(200);
        JsonNode changed = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid).json();
        assertThat(changed.path("description").asString()).isEqualTo("changed");
        assertThat(changed.path("disabled").asBoolean()).isTrue();

        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(name, adapter.url().toString(), "", "")),
            409, "CONFLICT");
        String other = create(unique("other"));
        assertHarborError(http.as(ADMIN).put("/api/v2.0/scanners/" + other, scanner(name, adapter.url().toString(), "", "")),
            409, "CONFLICT");

        makeDefault(other);
        Response deleted = http.as(ADMIN).delete("/api/v2.0/scanners/" + uuid);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertThat(deleted.json().path("uuid").asString()).as("Harbor answers the deleted registration").isEqualTo(uuid);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/scanners/" + uuid), 404, "NOT_FOUND");
    }

    void makeDefault(String uuid) {
        Response patched = http.as(ADMIN).patch("/api/v2.0/scanners/" + uuid, Map.of("is_default", true));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
    }

    @Test
    void exactlyOneRegistrationIsTheDefaultAndItCannotBeDeletedWhileOthersExist() {
        String a = create(unique("a"));
        String b = create(unique("b"));

        makeDefault(a);
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + a).json().path("is_default").asBoolean()).isTrue();
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + b).json().path("is_default").asBoolean()).isFalse();
        assertThat(defaults()).isEqualTo(1);

        makeDefault(b);
        makeDefault(b); // again: still one
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + a).json().path("is_default").asBoolean()).isFalse();
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + b).json().path("is_default").asBoolean()).isTrue();
        assertThat(defaults()).isEqualTo(1);

        assertThat(http.as(ADMIN).patch("/api/v2.0/scanners/" + b, Map.of("is_default", false)).status())
            .as("false changes nothing, as in Harbor").isEqualTo(200);
        assertThat(defaults()).isEqualTo(1);

        assertHarborError(http.as(ADMIN).delete("/api/v2.0/scanners/" + b), 412, "PRECONDITION");
        assertThat(http.as(ADMIN).delete("/api/v2.0/scanners/" + a).status()).isEqualTo(200);
        assertHarborError(http.as(ADMIN).patch("/api/v2.0/scanners/" + a, Map.of("is_default", true)), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).patch("/api/v2.0/scanners/" + b, Map.of()), 400, "BAD_REQUEST");
    }

    @Test
    void credentialsAreEncryptedAtRestMaskedAndKeptWhenTheMaskComesBack() {
        adapter.requireAuth("Bearer", "tok-s3cret-value");
        String name = unique("secured");
        String uuid = create(scanner(name, adapter.url().toString(), "Bearer", "tok-s3cret-value"));

        String stored = jdbc.queryForObject("SELECT access_credential FROM scanner_registration WHERE uuid = ?", String.class, uuid);
        assertThat(stored).startsWith("v1:").doesNotContain("tok-s3cret-value");
        assertThat(cipher.decrypt(stored, "scanner:" + uuid)).isEqualTo("tok-s3cret-value");

        Response read = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid);
        assertThat(read.json().path("auth").asString()).isEqualTo("Bearer");
        assertThat(read.json().path("access_credential").asString()).isEqualTo("*****");
        assertThat(read.text()).doesNotContain("tok-s3cret-value");
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners?page_size=100").text()).doesNotContain("tok-s3cret-value");

        // the mask sent back keeps the credential: the adapter, which checks it, validates the update
        Map<String, Object> update = scanner(name, adapter.url().toString(), "Bearer", "*****");
        update.put("description", "kept");
        Response updated = http.as(ADMIN).put("/api/v2.0/scanners/" + uuid, update);
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        assertThat(cipher.decrypt(jdbc.queryForObject("SELECT access_credential FROM scanner_registration WHERE uuid = ?",
            String.class, uuid), "scanner:" + uuid)).isEqualTo("tok-s3cret-value");

        // a wrong credential fails validation and changes nothing
        assertHarborError(http.as(ADMIN).put("/api/v2.0/scanners/" + uuid,
            scanner(name, adapter.url().toString(), "Bearer", "wrong")), 400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + uuid + "/metadata").status()).isEqualTo(200);
    }

    @Test
    void pingAnswers200ForAWorkingAdapterAndExplainsEveryFailure() {
        Map<String, Object> settings = Map.of("name", "probe", "url", adapter.url().toString(), "auth", "", "access_credential", "");
        assertThat(http.as(ADMIN).post("/api/v2.0/scanners/ping", settings).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).post("/api/v2.0/scanners/ping", Map.of("url", adapter.url().toString())).status())
            .as("the name is not needed to ping").isEqualTo(200);

        adapter.failWith(500, "vulnerability database missing");
        JsonNode error = assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners/ping", settings), 400, "BAD_REQUEST");
        assertThat(error.path("message").asString()).contains("500").contains("vulnerability database missing");

        adapter.failWith(0, "").requireAuth("X-ScannerAdapter-API-Key", "k3y");
        error = assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners/ping",
            Map.of("url", adapter.url().toString(), "auth", "X-ScannerAdapter-API-Key", "access_credential", "wrong")), 400, "BAD_REQUEST");
        assertThat(error.path("message").asString()).contains("401");
        assertThat(http.as(ADMIN).post("/api/v2.0/scanners/ping",
            Map.of("url", adapter.url().toString(), "auth", "X-ScannerAdapter-API-Key", "access_credential", "k3y")).status())
            .isEqualTo(200);

        URI down;
        try (ScannerAdapterEmulator gone = ScannerAdapterEmulator.start()) {
            down = gone.url();
        }
        error = assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners/ping", Map.of("url", down.toString())), 400, "BAD_REQUEST");
        assertThat(error.path("message").asString()).contains("cannot reach");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("down"), down.toString(), "", "")),
            400, "BAD_REQUEST");

        adapter.requireAuth("", "").metadataVersion("9.9");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners/ping", settings), 400, "BAD_REQUEST");
    }

    @Test
    void metadataIsTheAdaptersAskedNow() {
        String uuid = create(unique("meta"));
        adapter.sbom(true).scanner("Trivy", "Aqua Security", "0.51.0");

        Response metadata = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid + "/metadata");
        assertThat(metadata.status()).as("%s", metadata).isEqualTo(200);
        JsonNode json = metadata.json();
        assertThat(json.path("scanner").path("name").asString()).isEqualTo("Trivy");
        assertThat(json.path("scanner").path("version").asString()).isEqualTo("0.51.0");
        assertThat(json.path("capabilities").valueStream().map(c -> c.path("type").asString()).toList())
            .containsExactly("vulnerability", "sbom");
        assertThat(json.path("capabilities").path(0).path("produces_mime_types").valueStream().map(JsonNode::asString).toList())
            .contains("application/vnd.security.vulnerability.report; version=1.1");
        assertThat(json.path("properties").path("harbor.scanner-adapter/scanner-type").asString()).isNotBlank();

        adapter.failWith(503, "starting");
        Response failed = http.as(ADMIN).get("/api/v2.0/scanners/" + uuid + "/metadata");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().path("errors").path(0).path("message").asString()).contains("503").contains("starting");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/scanners/no-such-uuid/metadata"), 404, "NOT_FOUND");
    }

    @Test
    void aProjectUsesItsOwnScannerElseTheDefault() {
        String project = unique("scanp");
        createProject(project, false, ADMIN);
        String fallback = create(unique("fallback"));
        String own = create(unique("own"));
        makeDefault(fallback);

        Response initial = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/scanner");
        assertThat(initial.status()).as("%s", initial).isEqualTo(200);
        assertThat(initial.json().path("uuid").asString()).isEqualTo(fallback);
        assertThat(initial.json().path("health").asString()).isEqualTo("healthy");
        assertThat(initial.json().path("is_default").asBoolean()).isTrue();

        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/scanner", Map.of("uuid", own)).status()).isEqualTo(200);
        long projectId = jdbc.queryForObject("SELECT id FROM project WHERE name = ?", Long.class, project);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE resource_type = 'project' AND operation = 'update'"
            + " AND resource = ? AND detail LIKE 'scanner %'", Integer.class, project)).as("audited").isEqualTo(1);
        JsonNode chosen = http.as(ADMIN).get("/api/v2.0/projects/" + projectId + "/scanner").json();
        assertThat(chosen.path("uuid").asString()).as("by id too").isEqualTo(own);

        adapter.failWith(500, "down");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/scanner").json().path("health").asString())
            .isEqualTo("unhealthy");
        adapter.failWith(0, "");

        assertThat(http.as(ADMIN).delete("/api/v2.0/scanners/" + own).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/scanner").json().path("uuid").asString())
            .as("its registration deleted, the project falls back to the default").isEqualTo(fallback);

        assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/scanner", Map.of("uuid", "no-such-uuid")),
            404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/scanner", Map.of()), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("nope") + "/scanner"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + unique("nope") + "/scanner", Map.of("uuid", fallback)),
            404, "NOT_FOUND");
    }

    @Test
    void badInputsGetHarborErrors() {
        String url = adapter.url().toString();
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), "ftp://scanner.test", "", "")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), "not a url", "", "")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), "http://u:p@scanner.test", "", "")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), url, "Digest", "x")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), url, "Bearer", "")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner(unique("s"), url, "Basic", "no-colon")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", scanner("  ", url, "", "")), 400, "BAD_REQUEST");
        Map<String, Object> noName = scanner("x", url, "", "");
        noName.remove("name");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/scanners", noName), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).send("POST", "/api/v2.0/scanners", "{not json".getBytes(),
            "Content-Type", "application/json"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/scanners?q=vendor%3Dx"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/scanners?page_size=1000"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/scanners/no-such-uuid"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/scanners/no-such-uuid", scanner("x", url, "", "")), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/scanners/no-such-uuid"), 404, "NOT_FOUND");
    }

    @Test
    void onlySystemAdministratorsManageRegistrationsAndProjectAdministratorsPickTheProjectsScanner() {
        String project = unique("authz");
        createProject(project, true, ADMIN);
        String projectAdmin = unique("padmin");
        String developer = unique("dev");
        String outsider = unique("out");
        createUser(projectAdmin);
        createUser(developer);
        createUser(outsider);
        addMember(project, projectAdmin, 1);
        addMember(project, developer, 2);
        String uuid = create(unique("authz"));
        Map<String, Object> body = scanner(unique("x"), adapter.url().toString(), "", "");

        for (Credentials who : List.of(user(projectAdmin), user(developer), user(outsider))) {
            assertHarborError(http.as(who).get("/api/v2.0/scanners"), 403, "FORBIDDEN");
            assertHarborError(http.as(who).post("/api/v2.0/scanners", body), 403, "FORBIDDEN");
            assertHarborError(http.as(who).post("/api/v2.0/scanners/ping", body), 403, "FORBIDDEN");
            assertHarborError(http.as(who).get("/api/v2.0/scanners/" + uuid), 403, "FORBIDDEN");
            assertHarborError(http.as(who).put("/api/v2.0/scanners/" + uuid, body), 403, "FORBIDDEN");
            assertHarborError(http.as(who).patch("/api/v2.0/scanners/" + uuid, Map.of("is_default", true)), 403, "FORBIDDEN");
            assertHarborError(http.as(who).delete("/api/v2.0/scanners/" + uuid), 403, "FORBIDDEN");
            assertHarborError(http.as(who).get("/api/v2.0/scanners/" + uuid + "/metadata"), 403, "FORBIDDEN");
        }
        Credentials anonymous = Credentials.NONE;
        assertHarborError(http.as(anonymous).get("/api/v2.0/scanners"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).post("/api/v2.0/scanners", body), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).post("/api/v2.0/scanners/ping", body), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).get("/api/v2.0/scanners/" + uuid), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).put("/api/v2.0/scanners/" + uuid, body), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).patch("/api/v2.0/scanners/" + uuid, Map.of("is_default", true)), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).delete("/api/v2.0/scanners/" + uuid), 401, "UNAUTHORIZED");
        assertHarborError(http.as(anonymous).get("/api/v2.0/scanners/" + uuid + "/metadata"), 401, "UNAUTHORIZED");
        assertThat(http.as(ADMIN).get("/api/v2.0/scanners/" + uuid).status()).as("nothing changed").isEqualTo(200);

        String path = "/api/v2.0/projects/" + project + "/scanner";
        for (Credentials reader : List.of(ADMIN, user(projectAdmin), user(developer))) {
            assertThat(http.as(reader).get(path).status()).as("%s reads", reader).isEqualTo(200);
        }
        assertHarborError(http.as(user(outsider)).get(path), 403, "FORBIDDEN");
        assertHarborError(http.as(anonymous).get(path), 401, "UNAUTHORIZED");

        Response candidates = http.as(user(projectAdmin)).get(path + "/candidates?page_size=100");
        assertThat(names(candidates, "uuid")).contains(uuid);
        assertThat(candidates.header("X-Total-Count")).isPresent();
        assertThat(http.as(ADMIN).get(path + "/candidates").status()).isEqualTo(200);
        assertHarborError(http.as(user(developer)).get(path + "/candidates"), 403, "FORBIDDEN");
        assertHarborError(http.as(user(outsider)).get(path + "/candidates"), 403, "FORBIDDEN");
        assertHarborError(http.as(anonymous).get(path + "/candidates"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("nope") + "/scanner/candidates"), 404, "NOT_FOUND");

        assertThat(http.as(user(projectAdmin)).put(path, Map.of("uuid", uuid)).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).put(path, Map.of("uuid", uuid)).status()).isEqualTo(200);
        assertHarborError(http.as(user(developer)).put(path, Map.of("uuid", uuid)), 403, "FORBIDDEN");
        assertHarborError(http.as(user(outsider)).put(path, Map.of("uuid", uuid)), 403, "FORBIDDEN");
        assertHarborError(http.as(anonymous).put(path, Map.of("uuid", uuid)), 401, "UNAUTHORIZED");
    }
}
