package io.wharf.web.smoke;

import io.wharf.core.storage.driver.StorageDriverContract;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        RegistryClient anonymous = RegistryClient.forPort(port);
        RegistryClient admin = anonymous.asAdmin();
        String base = anonymous.base();
        start(port);

        Response unauthenticated = anonymous.get("/v2/");
        assertThat(unauthenticated.status()).as(unauthenticated.text()).isEqualTo(401);
        assertThat(unauthenticated.header("WWW-Authenticate")).hasValueSatisfying(
            challenge -> assertThat(challenge).startsWith("Bearer realm=\"" + base + "/service/token\""));
        Response project = admin.post("/api/v2.0/projects", "{\"project_name\":\"smoke\",\"public\":false}");
        assertThat(project.status()).as("POST /api/v2.0/projects: %s", project.text()).isEqualTo(201);

        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = admin.pushBlobStreamed("smoke/app", () -> new ByteArrayInputStream(config));
        String largeDigest = admin.pushBlobStreamed("smoke/app",
            () -> new StorageDriverContract.PatternStream(LARGE, TestImage.newSha256()));
        String manifest = TestImage.imageManifest(TestImage.OCI_MANIFEST, TestImage.OCI_CONFIG, configDigest, config.length,
            TestImage.OCI_LAYER_TAR, largeDigest, LARGE, "");
        assertThat(admin.putManifest("smoke/app", "v1", TestImage.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8))
            .status()).isEqualTo(201);

        process.destroy();
        process.waitFor();
        start(port);

        Response pulled = admin.get("/v2/smoke/app/manifests/v1");
        assertThat(pulled.status()).isEqualTo(200);
        assertThat(pulled.text()).isEqualTo(manifest);
        HttpResponse<InputStream> blob = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(base + "/v2/smoke/app/blobs/" + largeDigest))
                .header("Authorization", TestAccounts.adminBasic()).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.headers().firstValueAsLong("Content-Length")).hasValue(LARGE);
        assertThat(TestImage.sha256(blob.body())).isEqualTo(largeDigest);
        assertThat(Files.exists(workDir.resolve("data/db"))).isTrue();
        assertThat(Files.exists(workDir.resolve("data/storage/blobs"))).isTrue();
    }

    /**
     * Starts the jar and returns once it is ready: when it logs that its readiness state changed to
     * ACCEPTING_TRAFFIC, which Spring Boot does after the start-up runners (on the first start, once the admin
     * exists; logging in before then would count as failed logins, and five lock the admin out).
     */
    private void start(int port) throws Exception {
        Path jar = Path.of("target", "wharf.jar").toAbsolutePath();
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + port,
            "--server.address=127.0.0.1", "--logging.level.org.springframework.boot.availability=DEBUG"))
            .directory(workDir.toFile())
            .redirectErrorStream(true);
        builder.environment().put(TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD);
        process = builder.start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Path log = workDir.resolve("wharf-" + System.nanoTime() + ".log");
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                    file.write(line);
                    file.newLine();
                    file.flush();
                    if (line.contains("ReadinessState changed") && line.contains("ACCEPTING_TRAFFIC")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new AssertionError("wharf.jar exited before it was ready; see " + log));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "wharf.jar output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(3, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new AssertionError("wharf.jar was not ready within 3 minutes; see " + log);
        }
        Response v2 = RegistryClient.forPort(port).asAdmin().get("/v2/");
        assertThat(v2.status()).as("GET /v2/ as the admin: %s", v2.text()).isEqualTo(200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
