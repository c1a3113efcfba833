package io.wharf.web.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain HTTP access to a Wharf under test: the Harbor-shaped API for the fixtures the client tests need
 * (projects, users, members, robots) and a registry push over {@code /v2} with Basic credentials, so images can be
 * put in place without any client binary.
 */
final class WharfClient {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "Admin12345";

    static final int ROLE_DEVELOPER = 2;
    static final int ROLE_GUEST = 3;

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Robot(String name, String secret) {
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();

    WharfClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    /** {@code 127.0.0.1:<port>}, the registry host as clients name it. */
    String host() {
        return base.substring("http://".length());
    }

    HttpClient http() {
        return http;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private HttpResponse<byte[]> adminPost(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", basic(ADMIN, ADMIN_PASSWORD)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void expectCreated(HttpResponse<byte[]> response, String what) {
        assertThat(response.statusCode()).as("%s: %s", what, text(response)).isEqualTo(201);
    }

    void createProject(String name, boolean isPublic) {
        expectCreated(adminPost("/api/v2.0/projects", "{\"project_name\":\"" + name + "\",\"public\":" + isPublic + "}"),
            "create project " + name);
    }

    void createUser(String username, String password) {
        expectCreated(adminPost("/api/v2.0/users", "{\"username\":\"" + username + "\",\"email\":\"" + username
            + "@example.test\",\"password\":\"" + password + "\",\"realname\":\"" + username + "\"}"), "create user " + username);
    }

    void addMember(String project, String username, int roleId) {
        expectCreated(adminPost("/api/v2.0/projects/" + project + "/members", "{\"role_id\":" + roleId
            + ",\"member_user\":{\"username\":\"" + username + "\"}}"), "add " + username + " to " + project);
    }

    /** A project robot allowed to push and pull in {@code project}. */
    Robot createRobot(String project, String name) {
        HttpResponse<byte[]> response = adminPost("/api/v2.0/robots", "{\"name\":\"" + name
            + "\",\"level\":\"project\",\"duration\":-1,\"permissions\":[{\"kind\":\"project\",\"namespace\":\"" + project
            + "\",\"access\":[{\"resource\":\"repository\",\"action\":\"push\"},{\"resource\":\"repository\",\"action\":\"pull\"}]}]}");
        expectCreated(response, "create robot " + name);
        JsonNode body = json(response);
        return new Robot(body.path("name").asString(), body.path("secret").asString());
    }

    /** Pushes {@code image} to {@code repository:tag} with Basic credentials: blobs (POST then PUT), then the manifest. */
    void push(String repository, String tag, TestImage image, String user, String password) {
        String auth = basic(user, password);
        for (byte[] blob : new byte[][] {image.layer(), image.config()}) {
            HttpResponse<byte[]> started = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/blobs/uploads/"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", auth).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(started.statusCode()).as("start upload: %s", text(started)).isEqualTo(202);
            String location = started.headers().firstValue("Location").orElseThrow();
            URI target = URI.create(base + "/").resolve(location);
            String digestParam = "digest=" + URLEncoder.encode(TestImage.sha256(blob), StandardCharsets.UTF_8);
            URI put = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + digestParam);
            HttpResponse<byte[]> done = send(HttpRequest.newBuilder(put).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build());
            assertThat(done.statusCode()).as("complete upload: %s", text(done)).isEqualTo(201);
        }
        HttpResponse<byte[]> manifest = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + tag))
            .timeout(Duration.ofSeconds(30)).header("Authorization", auth).header("Content-Type", image.manifestType())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())).build());
        assertThat(manifest.statusCode()).as("put manifest: %s", text(manifest)).isEqualTo(201);
    }

    /** The manifest {@code repository:reference} as the admin sees it, or empty when it is not there (404). */
    Optional<HttpResponse<byte[]>> manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + reference))
            .timeout(Duration.ofSeconds(30)).header("Authorization", basic(ADMIN, ADMIN_PASSWORD))
            .header("Accept", String.join(", ", TestImage.OCI_MANIFEST, TestImage.DOCKER_MANIFEST, TestImage.OCI_INDEX,
                TestImage.DOCKER_MANIFEST_LIST))
            .GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        assertThat(response.statusCode()).as("get manifest %s:%s: %s", repository, reference, text(response)).isEqualTo(200);
        return Optional.of(response);
    }
}
