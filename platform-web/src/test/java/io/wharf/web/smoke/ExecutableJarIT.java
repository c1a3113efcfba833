package io.wharf.web.smoke;

import io.wharf.core.storage.driver.StorageDriverContract;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code wharf.jar} as a user starts it: {@code java -jar} with nothing configured but the
 * first admin password ({@code WHARF_ADMIN_PASSWORD}) runs on the embedded database and the
 * filesystem under the data directory, asks for credentials, keeps everything across a restart, and
 * streams a 2 GiB layer both ways with a 256 MiB heap. The project {@code smoke} is created through
 * the projects API, as a user would.
 */
class ExecutableJarIT {

    private static final long LARGE = 2L * 1024 * 1024 * 1024;
    private static final String AUTHORIZATION = TestAccounts.adminBasic();

    @TempDir
    Path workDir;

    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void runsOnTheEmbeddedDefaultAndKeepsDataAcrossRestartsWithASmallHeap() throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        start(port);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            challenge -> assertThat(challenge).startsWith("Bearer realm=\"" + base + "/service/token\""));
        HttpResponse<String> project = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2.0/projects"))
            .header("Authorization", AUTHORIZATION)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"project_name\":\"smoke\",\"public\":false}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(project.statusCode()).as("POST /api/v2.0/projects: %s", project.body()).isEqualTo(201);

        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = push(http, base, "smoke/app", config);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String largeDigest = pushStreamed(http, base, "smoke/app", new StorageDriverContract.PatternStream(LARGE, sha), sha);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + largeDigest + "\",\"size\":" + LARGE + "}]}";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/smoke/app/manifests/v1"))
            .header("Authorization", AUTHORIZATION)
            .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);

        process.destroy();
        process.waitFor();
        start(port);

        HttpResponse<String> pulled = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/smoke/app/manifests/v1"))
                .header("Authorization", AUTHORIZATION).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(manifest);
        HttpResponse<InputStream> blob = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/smoke/app/blobs/" + largeDigest))
                .header("Authorization", AUTHORIZATION).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.headers().firstValueAsLong("Content-Length")).hasValue(LARGE);
        assertThat(sha256(blob.body())).isEqualTo(largeDigest);
        assertThat(Files.exists(workDir.resolve("data/db"))).isTrue();
        assertThat(Files.exists(workDir.resolve("data/storage/blobs"))).isTrue();
    }

    private void start(int port) throws Exception {
        Path jar = Path.of("target", "wharf.jar").toAbsolutePath();
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + port))
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("wharf-" + System.nanoTime() + ".log").toFile());
        builder.environment().put(TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD);
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        // Ready only once the start-up runners are done: on the first start that is when the admin exists.
        // Logging in before then would count as failed logins (and five lock the admin out).
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("wharf.jar exited early").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    HttpResponse<String> base = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                        .header("Authorization", AUTHORIZATION).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(base.statusCode()).as("GET /v2/ as the admin: %s", base.body()).isEqualTo(200);
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("wharf.jar did not start within 3 minutes");
    }

    private static String push(HttpClient http, String base, String name, byte[] content) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        return pushStreamed(http, base, name, new java.io.ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) {
                    sha.update(b, off, n);
                }
                return n;
            }
        }, sha);
    }

    /** POST, one streamed PATCH, then PUT with the digest computed while streaming. */
    private static String pushStreamed(HttpClient http, String base, String name, InputStream content, MessageDigest sha)
        throws Exception {
        HttpResponse<Void> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + name + "/blobs/uploads/"))
            .header("Authorization", AUTHORIZATION)
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(post.statusCode()).isEqualTo(202);
        String location = base + post.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(location))
            .header("Authorization", AUTHORIZATION)
            .header("Content-Type", "application/octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(202);
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + patch.headers().firstValue("Location").orElseThrow()
                + "?digest=" + digest)).header("Authorization", AUTHORIZATION).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return digest;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
