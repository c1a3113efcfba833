package io.wharf.api.replication;

import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * containerd pulling {@code docker.io/library/<name>} through Wharf, replayed request by request as
 * containerd's resolver and fetcher send them (UPSTREAMS.md §2.2, containerd
 * {@code core/remotes/docker/{resolver,fetcher,authorizer}.go}) for the two {@code hosts.toml} shapes the
 * README documents:
 * <pre>
 * # certs.d/docker.io/hosts.toml, the proxy project's path:
 * server = "https://registry-1.docker.io"
 * [host."http://wharf/v2/mirrorhub"]
 *   capabilities = ["pull", "resolve"]
 *   override_path = true
 *
 * # or the root mirror (wharf.mirror.project, or the mirror port):
 * [host."http://wharf"]
 *   capabilities = ["pull", "resolve"]
 * </pre>
 * Every request carries {@code ?ns=docker.io}; the first one is a HEAD of the tag with one comma-joined
 * {@code Accept}; its 401 is answered by a token request for the challenge's scope plus the reference's own
 * ({@code repository:library/<name>:pull}), anonymously, and the token is then sent with every request.
 */
@Import({ReplicationIntegrationTest.Beans.class, MirrorIntegrationTest.Hub.class})
class ContainerdMirrorIT extends MirrorIntegrationTest {

    /** containerd's resolver: the four manifest types and {@code *}/{@code *}, one header. */
    static final String RESOLVE_ACCEPT = String.join(", ", TestImage.DOCKER_MANIFEST, TestImage.DOCKER_MANIFEST_LIST,
        TestImage.OCI_MANIFEST, TestImage.OCI_INDEX, "*/*");
    static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    static final TestImage.Platform ARM64 = TestImage.Platform.of("linux", "arm64");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void overridePathOnTheProxyProjectsPathPullsAnIndexWithTheEmulatorsDigests() throws Exception {
        String name = "library/" + unique("ctrd");
        TestImage amd = TestImage.random(TestImage.Format.OCI, AMD64, 760, 1200, 2500);
        TestImage arm = TestImage.random(TestImage.Format.OCI, ARM64, 761, 1300);
        Map<TestImage.Platform, TestImage> children = new LinkedHashMap<>();
        children.put(AMD64, amd);
        children.put(ARM64, arm);
        TestImage.Blob index = HUB.pushIndex(name, "1.27", TestImage.Format.OCI, children);
        Containerd containerd = new Containerd("http://127.0.0.1:" + port + "/v2/" + MIRROR, name);

        // resolve: HEAD, challenged, one anonymous token, HEAD again
        HttpResponse<byte[]> head = containerd.send("HEAD", "manifests/1.27", "Accept", RESOLVE_ACCEPT);
        assertThat(containerd.challenges).as("the HEAD's 401 carries the whole challenge").hasSize(1);
        assertThat(containerd.challenges.get(0)).startsWith("Bearer ")
            .contains("scope=\"repository:" + MIRROR + "/" + name + ":pull\"");
        assertThat(containerd.tokenRequests).as("containerd adds the reference's own scope and sorts").containsExactly(
            "scope=" + enc("repository:" + name + ":pull") + "&scope=" + enc("repository:" + MIRROR + "/" + name + ":pull") + "&service=" + containerd.service);
        assertManifest(head, index, TestImage.OCI_INDEX, true);

        // fetch: the index and the platform's manifest by digest, then config and layers
        HttpResponse<byte[]> indexGet = containerd.send("GET", "manifests/" + index.digest(), "Accept", TestImage.OCI_INDEX + ", */*");
        assertManifest(indexGet, index, TestImage.OCI_INDEX, false);
        String child = platformDigest(indexGet.body(), AMD64);
        assertThat(child).isEqualTo(amd.manifestDigest());
        HttpResponse<byte[]> manifest = containerd.send("GET", "manifests/" + child, "Accept", TestImage.OCI_MANIFEST + ", */*");
        assertManifest(manifest, TestImage.Blob.of(amd.manifest()), TestImage.OCI_MANIFEST, false);
        assertBlobs(containerd, amd, TestImage.Format.OCI.configType, TestImage.Format.OCI.layerType);
        assertThat(containerd.tokenRequests).as("one token for the whole pull").hasSize(1);
    }

    @Test
    void theRootMirrorOnTheMainPortAndOnTheMirrorPortPullsWithTheEmulatorsDigests() throws Exception {
        String name = "library/" + unique("ctrroot");
        TestImage image = TestImage.random(TestImage.Format.DOCKER, AMD64, 770, 1800, 900);
        String digest = HUB.push(name, "latest", image);
        for (int listening : List.of(port, MIRROR_PORT)) {
            Containerd containerd = new Containerd("http://127.0.0.1:" + listening + "/v2", name);
            HttpResponse<byte[]> head = containerd.send("HEAD", "manifests/latest", "Accept", RESOLVE_ACCEPT);
            assertThat(containerd.challenges).as("port %d", listening).hasSize(1);
            // the challenge names the repository the client asked for, not the proxy project it is served from;
            // containerd asks for that one scope, and it is granted as the mirror's
            assertThat(containerd.challenges.get(0)).as("port %d", listening)
                .contains("realm=\"http://127.0.0.1:" + listening + "/service/token\"")
                .contains("scope=\"repository:" + name + ":pull\"")
                .doesNotContain(MIRROR + "/");
            assertThat(containerd.tokenRequests).as("port %d", listening).containsExactly("scope=" + enc("repository:" + name + ":pull")
                + "&service=" + containerd.service);
            assertManifest(head, TestImage.Blob.of(image.manifest()), TestImage.DOCKER_MANIFEST, true);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(digest);
            HttpResponse<byte[]> manifest = containerd.send("GET", "manifests/" + digest, "Accept", TestImage.DOCKER_MANIFEST + ", */*");
            assertManifest(manifest, TestImage.Blob.of(image.manifest()), TestImage.DOCKER_MANIFEST, false);
            assertBlobs(containerd, image, TestImage.Format.DOCKER.configType, TestImage.Format.DOCKER.layerType);
            assertThat(containerd.tokenRequests).as("port %d: one token for the whole pull", listening).hasSize(1);
        }
    }

    /** A manifest response as containerd's resolver needs it: digest, type and length, the bytes on a GET. */
    private static void assertManifest(HttpResponse<byte[]> response, TestImage.Blob expected, String type, boolean head) {
        String what = response.request().method() + " " + response.uri() + " -> " + response.statusCode() + " " + response.headers().map();
        assertThat(response.statusCode()).as(what).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).as(what).contains(expected.digest());
        assertThat(response.headers().firstValue("Content-Type")).as(what).contains(type);
        assertThat(response.headers().firstValue("Content-Length")).as(what).contains(String.valueOf(expected.size()));
        assertThat(response.headers().firstValue("Content-Encoding")).as("never re-encoded: %s", what).isEmpty();
        if (head) {
            assertThat(response.body()).as(what).isEmpty();
        } else {
            assertThat(TestImage.sha256(response.body())).as(what).isEqualTo(expected.digest());
        }
    }

    /** Config and layers as containerd's fetcher asks for them; the last layer resumed with {@code Range} too. */
    private static void assertBlobs(Containerd containerd, TestImage image, String configType, String layerType)
        throws IOException, InterruptedException {
        Map<byte[], String> blobs = new LinkedHashMap<>();
        blobs.put(image.config(), configType);
        image.layers().forEach(layer -> blobs.put(layer, layerType));
        byte[] last = null;
        for (Map.Entry<byte[], String> blob : blobs.entrySet()) {
            String digest = TestImage.sha256(blob.getKey());
            HttpResponse<byte[]> read = containerd.send("GET", "blobs/" + digest, "Accept", blob.getValue() + ", */*",
                "Accept-Encoding", "zstd, gzip, deflate");
            String what = "GET " + read.uri() + " -> " + read.statusCode() + " " + read.headers().map();
            assertThat(read.statusCode()).as(what).isEqualTo(200);
            assertThat(read.headers().firstValue("Content-Length")).as(what).contains(String.valueOf(blob.getKey().length));
            assertThat(read.headers().firstValue("Content-Encoding")).as("never re-encoded: %s", what).isEmpty();
            assertThat(TestImage.sha256(read.body())).as(what).isEqualTo(digest);
            last = blob.getKey();
        }
        // containerd resumes an interrupted layer with Range: bytes=N-
        int offset = last.length / 3;
        HttpResponse<byte[]> resumed = containerd.send("GET", "blobs/" + TestImage.sha256(last), "Accept", layerType + ", */*",
            "Range", "bytes=" + offset + "-");
        assertThat(resumed.statusCode()).as("%s", resumed.headers().map()).isEqualTo(206);
        assertThat(resumed.headers().firstValue("Content-Range")).contains("bytes " + offset + "-" + (last.length - 1) + "/" + last.length);
        assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(last, offset, last.length));
    }

    private static String platformDigest(byte[] index, TestImage.Platform platform) {
        for (JsonNode m : JSON.readTree(index).path("manifests")) {
            if (platform.architecture().equals(m.path("platform").path("architecture").asString())) {
                return m.path("digest").asString();
            }
        }
        throw new AssertionError("no " + platform + " in " + new String(index, StandardCharsets.UTF_8));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * One containerd host entry pulling one reference: requests go to {@code <api root>/<repository>/<path>?ns=docker.io}
     * (the api root is the host's URL with {@code override_path}, else its URL plus {@code /v2}); a 401 is answered as
     * containerd's authorizer does (a GET of the realm with {@code scope} and {@code service}, no credentials), and the
     * token is then sent on every request, as containerd does once it holds one for the host.
     */
    private static final class Containerd {

        private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        private final String apiRoot;
        private final String repository;
        final List<String> challenges = new ArrayList<>();
        final List<String> tokenRequests = new ArrayList<>();
        String service;
        private String token;

        Containerd(String apiRoot, String repository) {
            this.apiRoot = apiRoot;
            this.repository = repository;
        }

        HttpResponse<byte[]> send(String method, String path, String... headers) throws IOException, InterruptedException {
            HttpResponse<byte[]> response = once(method, path, headers);
            if (response.statusCode() == 401 && token == null) {
                String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow(
                    () -> new AssertionError("401 without a challenge on " + method + " " + path));
                challenges.add(challenge);
                token = fetchToken(challenge);
                response = once(method, path, headers);
            }
            return response;
        }

        private HttpResponse<byte[]> once(String method, String path, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiRoot + "/" + repository + "/" + path + "?ns=docker.io"))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "containerd/v2.1.4");
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        /** containerd's {@code FetchToken}: the reference's scope and the challenge's, sorted and deduplicated, then service. */
        private String fetchToken(String challenge) throws IOException, InterruptedException {
            assertThat(challenge).startsWith("Bearer ");
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1), m.group(2));
            }
            service = params.get("service");
            TreeSet<String> scopes = new TreeSet<>();
            scopes.add("repository:" + repository + ":pull");
            Optional.ofNullable(params.get("scope")).ifPresent(s -> scopes.addAll(List.of(s.split(" "))));
            StringBuilder query = new StringBuilder();
            scopes.forEach(scope -> query.append("scope=").append(enc(scope)).append('&'));
            query.append("service=").append(enc(service));
            tokenRequests.add(query.toString());
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(params.get("realm") + "?" + query))
                .GET().header("User-Agent", "containerd/v2.1.4").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("token: %s", new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            String value = body.path("token").asString();
            return value.isEmpty() ? body.path("access_token").asString() : value;
        }
    }
}
