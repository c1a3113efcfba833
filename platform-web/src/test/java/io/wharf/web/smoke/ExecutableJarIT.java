package io.wharf.web.smoke;

import io.wharf.core.storage.driver.StorageDriverContract;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.cluster.WharfProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    private WharfProcess process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    @Test
    void runsOnTheEmbeddedDefaultAndKeepsDataAcrossRestartsWithASmallHeap() throws Exception {
        int port = WharfProcess.freePort();
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

        process.close();
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

    /** Starts the jar and returns once it is ready and lets the admin in. */
    private void start(int port) throws Exception {
        process = WharfProcess.launch("wharf", workDir, port, List.of("-Xmx256m"), List.of(),
            Map.of(TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD)).awaitReady(Duration.ofMinutes(3));
        Response v2 = RegistryClient.forPort(port).asAdmin().get("/v2/");
        assertThat(v2.status()).as("GET /v2/ as the admin: %s", v2.text()).isEqualTo(200);
    }
}
