package io.wharf.web.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import io.wharf.testkit.PostgresTestDatabase;
import tools.jackson.databind.json.JsonMapper;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.Response;
import io.wharf.testkit.RegistryClient;
import io.wharf.web.PlatformApplication;
import io.wharf.testkit.TestImage.Format;

/**
 * Replays, request by request, what the Docker daemon sends for {@code docker pull}: the daemon cannot run here,
 * so its HTTP conversation is reproduced instead (moby {@code distribution/pull_v2.go} with the
 * {@code docker/distribution} registry client and its {@code registry/client/auth} token handler).
 *
 * <p>The real commands and what they send:
 * <pre>
 * $ docker login 127.0.0.1:PORT -u dev        (client-side login, as the CLI does without a daemon)
 *   GET  /v2/                                                    -&gt; 401 WWW-Authenticate: Bearer realm=...,service="wharf"
 *   GET  REALM?account=dev&amp;client_id=docker&amp;offline_token=true&amp;service=wharf   (Basic dev:password)
 *                                                                -&gt; {"token", "refresh_token"}; the refresh token
 *                                                                   is stored as "identitytoken" in config.json
 *   GET  /v2/                                   (Bearer token)   -&gt; 200
 *
 * $ docker pull 127.0.0.1:PORT/p/app:v1
 *   GET  /v2/                                                    -&gt; 401 with the challenge (and the API version header)
 *   token, one of:
 *     POST REALM  client_id=docker&amp;grant_type=refresh_token&amp;refresh_token=IDENTITYTOKEN&amp;scope=repository:p/app:pull&amp;service=wharf
 *                                                                   (after docker login: the identitytoken)
 *     GET  REALM?account=dev&amp;scope=repository:p/app:pull&amp;service=wharf   (Basic, when only "auth" is stored)
 *     GET  REALM?scope=repository:p/app:pull&amp;service=wharf                (anonymous)
 *   HEAD /v2/p/app/manifests/v1                 (Bearer; one Accept header per manifest media type)
 *                                                                -&gt; 200 Docker-Content-Digest, Content-Type, Content-Length
 *                                                                   (on failure the client repeats it as a GET for the error)
 *   GET  /v2/p/app/manifests/sha256:MANIFEST    (Bearer; same Accept headers)
 *   GET  /v2/p/app/blobs/sha256:CONFIG          (Bearer)            the image config, digest verified
 *   GET  /v2/p/app/blobs/sha256:LAYER           (Bearer, each layer) digest verified; the gunzipped tar must match
 *                                                                   the config's rootfs.diff_ids
 * </pre>
 * Go encodes query strings and forms with sorted keys, so the replay does too.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerPullReplayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The manifest types the docker daemon's distribution client registers and so sends as Accept headers. */
    private static final List<String> DOCKER_ACCEPT = List.of(
        TestImage.DOCKER_MANIFEST_LIST,
        TestImage.OCI_INDEX,
        TestImage.DOCKER_MANIFEST,
        TestImage.OCI_MANIFEST,
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/json");

    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private static final String DEV = "dev-user";
    private static final String DEV_PASSWORD = "DevPass123";
    private static final String OUTSIDER = "outsider";
    private static final String OUTSIDER_PASSWORD = "Outsider123";

    private static final Path WORK;

    static {
        try {
            WORK = Files.createTempDirectory("wharf-docker-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> WORK.resolve("data").toString());
        registry.add("wharf.admin-password", () -> TestAccounts.ADMIN_PASSWORD);
    }

    @LocalServerPort
    private int port;

    private RegistryClient wharf;
    private final TestImage privateImage = TestImage.create(Format.DOCKER, "private");
    private final TestImage publicImage = TestImage.create(Format.DOCKER, "public");

    @BeforeAll
    void fixtures() {
        wharf = RegistryClient.forPort(port).asAdmin();
        wharf.createProject("p", false);
        wharf.createProject("pub", true);
        wharf.createUser(DEV, DEV_PASSWORD);
        wharf.addMember("p", DEV, TestAccounts.ROLE_DEVELOPER);
        wharf.createUser(OUTSIDER, OUTSIDER_PASSWORD);
        wharf.push("p/app", "v1", privateImage);
        wharf.push("pub/app", "v1", publicImage);
    }

    @AfterAll
    static void deleteWorkDirectory() throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> paths = Files.walk(WORK)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------

    @Test
    void pullAfterDockerLoginUsesTheIdentityToken() {
        // docker login (client side)
        Map<String, String> challenge = ping();
        Map<String, String> loginQuery = new TreeMap<>(Map.of("account", DEV, "client_id", "docker",
            "offline_token", "true", "service", challenge.get("service")));
        Response login = send(get(challenge.get("realm") + "?" + query(loginQuery))
            .header("Authorization", TestAccounts.basic(DEV, DEV_PASSWORD)));
        assertThat(login.statusCode()).as(login.text()).isEqualTo(200);
        JsonNode loginBody = login.json();
        String identityToken = loginBody.path("refresh_token").asString("");
        assertThat(identityToken).as("refresh_token (docker's identitytoken) in %s", loginBody).isNotEmpty();
        Response check = send(get(wharf.base() + "/v2/").header("Authorization",
            "Bearer " + token(loginBody)));
        assertThat(check.statusCode()).as(check.text()).isEqualTo(200);
        // The refresh token itself is no registry token
        Response misuse = send(get(wharf.base() + "/v2/").header("Authorization", "Bearer " + identityToken));
        assertThat(misuse.statusCode()).isEqualTo(401);

        // docker pull
        Map<String, String> pullChallenge = ping();
        Map<String, String> form = new TreeMap<>(Map.of("client_id", "docker", "grant_type", "refresh_token",
            "refresh_token", identityToken, "scope", "repository:p/app:pull", "service", pullChallenge.get("service")));
        Response tokenResponse = send(request("POST", pullChallenge.get("realm")).header("Content-Type", "application/x-www-form-urlencoded")
            .body(query(form).getBytes(StandardCharsets.UTF_8)));
        assertThat(tokenResponse.statusCode()).as(tokenResponse.text()).isEqualTo(200);
        JsonNode body = tokenResponse.json();
        // docker's postTokenResponse reads access_token
        assertThat(body.path("access_token").asString("")).isNotEmpty();
        assertThat(actions(body.path("access_token").asString(), "p/app")).containsExactly("pull");

        pullAndVerify("p/app", "v1", body.path("access_token").asString(), privateImage);
    }

    @Test
    void pullWithBasicCredentialsOnTheTokenRequest() {
        Map<String, String> challenge = ping();
        String token = basicToken(challenge, "repository:p/app:pull", DEV, DEV_PASSWORD);
        assertThat(actions(token, "p/app")).containsExactly("pull");
        pullAndVerify("p/app", "v1", token, privateImage);
    }

    @Test
    void anonymousPullOfAPublicProject() {
        Map<String, String> challenge = ping();
        String token = anonymousToken(challenge, "repository:pub/app:pull");
        assertThat(actions(token, "pub/app")).containsExactly("pull");
        pullAndVerify("pub/app", "v1", token, publicImage);
    }

    @Test
    void anonymousPullOfAPrivateProjectIsDenied() {
        Map<String, String> challenge = ping();
        // The token endpoint still answers (a 200 is not an authorisation), granting nothing
        String token = anonymousToken(challenge, "repository:p/app:pull");
        assertThat(actions(token, "p/app")).isEmpty();
        assertDenied("p/app", "v1", token);
    }

    @Test
    void pullByAUserOutsideThePrivateProjectIsDenied() {
        Map<String, String> challenge = ping();
        String token = basicToken(challenge, "repository:p/app:pull", OUTSIDER, OUTSIDER_PASSWORD);
        assertThat(actions(token, "p/app")).isEmpty();
        assertDenied("p/app", "v1", token);
    }

    @Test
    void aWrongPasswordOnTheTokenRequestIs401() {
        Map<String, String> challenge = ping();
        Map<String, String> params = new TreeMap<>(Map.of("account", DEV, "scope", "repository:p/app:pull",
            "service", challenge.get("service")));
        Response response = send(get(challenge.get("realm") + "?" + query(params))
            .header("Authorization", TestAccounts.basic(DEV, "Wrong" + DEV_PASSWORD)));
        assertThat(response.statusCode()).as(response.text()).isEqualTo(401);
    }

    // -----------------------------------------------------------------------------------------------------------

    /** {@code GET /v2/} without credentials: a 401 whose Bearer challenge names the realm and service. */
    private Map<String, String> ping() {
        Response response = send(get(wharf.base() + "/v2/"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        String header = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(header).startsWith("Bearer ");
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(header);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        assertThat(params).containsEntry("realm", wharf.base() + "/service/token").containsEntry("service", "wharf");
        return params;
    }

    private String basicToken(Map<String, String> challenge, String scope, String user, String password) {
        Map<String, String> params = new TreeMap<>(Map.of("account", user, "scope", scope, "service", challenge.get("service")));
        Response response = send(get(challenge.get("realm") + "?" + query(params))
            .header("Authorization", TestAccounts.basic(user, password)));
        assertThat(response.statusCode()).as(response.text()).isEqualTo(200);
        return token(response.json());
    }

    private String anonymousToken(Map<String, String> challenge, String scope) {
        Map<String, String> params = new TreeMap<>(Map.of("scope", scope, "service", challenge.get("service")));
        Response response = send(get(challenge.get("realm") + "?" + query(params)));
        assertThat(response.statusCode()).as(response.text()).isEqualTo(200);
        return token(response.json());
    }

    /** docker's getTokenResponse: {@code access_token} wins over {@code token} when both are there. */
    private static String token(JsonNode body) {
        String token = body.path("access_token").asString("");
        if (token.isEmpty()) {
            token = body.path("token").asString("");
        }
        assertThat(token).as("token in %s", body).isNotEmpty();
        assertThat(body.path("expires_in").asLong()).isGreaterThanOrEqualTo(60);
        // Go decodes issued_at into a time.Time: it must be RFC 3339 when present
        if (body.has("issued_at")) {
            assertThat(OffsetDateTime.parse(body.path("issued_at").asString())).isNotNull();
        }
        return token;
    }

    /** The actions the token's {@code access} claim grants on {@code repository}. */
    private static List<String> actions(String token, String repository) {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        List<String> actions = new ArrayList<>();
        for (JsonNode access : claims.path("access")) {
            if ("repository".equals(access.path("type").asString()) && repository.equals(access.path("name").asString())) {
                access.path("actions").forEach(a -> actions.add(a.asString()));
            }
        }
        return actions;
    }

    /** HEAD by tag, GET by digest, then the config and every layer, each checked against its digest. */
    private void pullAndVerify(String repository, String tag, String token, TestImage expected) {
        String bearer = "Bearer " + token;
        Response head = send(accepting(head(manifestUrl(repository, tag)).header("Authorization", bearer)));
        assertThat(head.statusCode()).as("HEAD manifest").isEqualTo(200);
        String digest = head.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertThat(digest).isEqualTo(expected.manifestDigest());
        assertThat(head.headers().firstValue("Content-Type")).hasValue(expected.manifestType());
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(expected.manifest().length);

        Response manifest = send(accepting(get(manifestUrl(repository, digest)).header("Authorization", bearer)));
        assertThat(manifest.statusCode()).as(manifest.text()).isEqualTo(200);
        assertThat(TestImage.sha256(manifest.body())).isEqualTo(digest);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue(expected.manifestType());
        JsonNode parsed = manifest.json();
        assertThat(parsed.path("schemaVersion").asInt()).isEqualTo(2);

        String configDigest = parsed.path("config").path("digest").asString();
        byte[] config = blob(repository, configDigest, bearer);
        assertThat(configDigest).isEqualTo(expected.configDigest());
        JsonNode diffIds = JSON.readTree(new String(config, StandardCharsets.UTF_8)).path("rootfs").path("diff_ids");

        JsonNode layers = parsed.path("layers");
        assertThat(layers.size()).isEqualTo(diffIds.size()).isEqualTo(1);
        for (int i = 0; i < layers.size(); i++) {
            String layerDigest = layers.get(i).path("digest").asString();
            byte[] layer = blob(repository, layerDigest, bearer);
            assertThat(layer).hasSize(layers.get(i).path("size").asInt());
            // the daemon's errRootFSMismatch check
            assertThat(TestImage.sha256(TestImage.gunzip(layer))).isEqualTo(diffIds.get(i).asString());
        }
    }

    /** The denied path: HEAD fails, docker repeats it as a GET to read the error; both are 401 with the challenge. */
    private void assertDenied(String repository, String tag, String token) {
        String bearer = "Bearer " + token;
        Response head = send(accepting(head(manifestUrl(repository, tag)).header("Authorization", bearer)));
        assertThat(head.statusCode()).isEqualTo(401);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).isEmpty();

        Response get = send(accepting(get(manifestUrl(repository, tag)).header("Authorization", bearer)));
        assertThat(get.statusCode()).as(get.text()).isEqualTo(401);
        assertThat(get.headers().firstValue("WWW-Authenticate")).get().asString()
            .contains("scope=\"repository:" + repository + ":pull\"").contains("error=\"insufficient_scope\"");
        JsonNode errors = get.json().path("errors");
        assertThat(errors.size()).isGreaterThan(0);
        assertThat(errors.get(0).path("code").asString()).isIn("UNAUTHORIZED", "DENIED");
        assertThat(get.text()).doesNotContain(privateImage.manifestDigest());

        // Blobs are out of reach too
        Response blob = send(get(wharf.base() + "/v2/" + repository + "/blobs/" + privateImage.layerDigest())
            .header("Authorization", bearer));
        assertThat(blob.statusCode()).isEqualTo(401);
    }

    private byte[] blob(String repository, String digest, String bearer) {
        Response response = send(get(wharf.base() + "/v2/" + repository + "/blobs/" + digest)
            .header("Authorization", bearer));
        assertThat(response.statusCode()).as("GET blob %s", digest).isEqualTo(200);
        assertThat(TestImage.sha256(response.body())).isEqualTo(digest);
        return response.body();
    }

    private String manifestUrl(String repository, String reference) {
        return wharf.base() + "/v2/" + repository + "/manifests/" + reference;
    }

    /** One Accept header per media type, as Go's {@code req.Header.Add("Accept", t)} sends them. */
    private static RegistryClient.Request accepting(RegistryClient.Request request) {
        DOCKER_ACCEPT.forEach(type -> request.addHeader("Accept", type));
        return request;
    }

    /** A request as the docker daemon sends it: no credentials unless set, docker's User-Agent. */
    private RegistryClient.Request request(String method, String url) {
        return wharf.anonymous().withUserAgent("docker/28.2.2 go/go1.24 os/linux arch/amd64 (wharf replay)")
            .request(method, url);
    }

    private RegistryClient.Request get(String url) {
        return request("GET", url);
    }

    private RegistryClient.Request head(String url) {
        return request("HEAD", url);
    }

    private static Response send(RegistryClient.Request request) {
        return request.send();
    }

    /** Go's url.Values.Encode: keys sorted (TreeMap), values query-escaped. */
    private static String query(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
