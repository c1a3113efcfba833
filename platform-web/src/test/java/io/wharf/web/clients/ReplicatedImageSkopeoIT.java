package io.wharf.web.clients;

import io.wharf.replication.execution.ExecutionStatus;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * skopeo reads back what replication copied from the Docker Hub emulator into Wharf: {@code inspect
 * --raw} of an image hashes to the emulator's manifest digest, and {@code copy --all} of an index into
 * an OCI layout keeps the index's and every child's digest. Skipped when skopeo is missing, except with
 * {@code CI=true}, where that fails.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ReplicatedImageSkopeoIT.Finished.class)
class ReplicatedImageSkopeoIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    private static final TestImage.Platform ARM64 = TestImage.Platform.of("linux", "arm64");
    private static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());

    /** Completes the future of an execution once its end is committed; a bean of the context. */
    static class Finished {

        final Map<Long, CompletableFuture<ReplicationFinished>> executions = new ConcurrentHashMap<>();

        @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
        void on(ReplicationFinished finished) {
            of(finished.executionId()).complete(finished);
        }

        CompletableFuture<ReplicationFinished> of(long executionId) {
            return executions.computeIfAbsent(executionId, id -> new CompletableFuture<>());
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        Path data = Files.createTempDirectory("wharf-replicated-skopeo-");
        registry.add("wharf.data-dir", data::toString);
        registry.add("wharf.admin-password", () -> TestAccounts.ADMIN_PASSWORD);
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Finished finished;

    @Test
    void skopeoReadsTheReplicatedImagesWithTheEmulatorsDigests(@TempDir Path work) throws Exception {
        Cli skopeo = Cli.skopeo(work);
        TestImage app = TestImage.random(TestImage.Format.DOCKER, AMD64, 71, 2000, 3000);
        String appDigest = HUB.push("acme/app", "1.0", app);
        TestImage amd = TestImage.random(TestImage.Format.OCI, AMD64, 72, 1500);
        TestImage arm = TestImage.random(TestImage.Format.OCI, ARM64, 73, 1600);
        Map<TestImage.Platform, TestImage> children = new LinkedHashMap<>();
        children.put(AMD64, amd);
        children.put(ARM64, arm);
        TestImage.Blob index = HUB.pushIndex("acme/multi", "2.0", TestImage.Format.OCI, children);

        RegistryClient wharf = RegistryClient.forPort(port).asAdmin();
        wharf.createProject("mirror", false);
        long registry = RegistryClient.idFromLocation(wharf.post("/api/v2.0/registries", Map.of("name", "hub",
            "type", "docker-hub", "url", HUB.registryUrl().toString())).expect(201));
        long policy = RegistryClient.idFromLocation(wharf.post("/api/v2.0/replication/policies", Map.of("name", "acme",
            "src_registry", Map.of("id", registry), "dest_namespace", "mirror", "dest_namespace_replace_count", 1,
            "filters", List.of(Map.of("type", "name", "value", "acme/**")), "trigger", Map.of("type", "manual"))).expect(201));
        long execution = RegistryClient.idFromLocation(wharf.post("/api/v2.0/replication/executions",
            Map.of("policy_id", policy)).expect(201));
        ReplicationFinished end = finished.of(execution).get(60, TimeUnit.SECONDS);
        assertThat(end.status()).as("%s", end).isEqualTo(ExecutionStatus.SUCCEED);

        String creds = TestAccounts.ADMIN_USERNAME + ":" + TestAccounts.ADMIN_PASSWORD;
        Cli.Result raw = skopeo.ok(TIMEOUT, "inspect", "--raw", "--tls-verify=false", "--creds", creds,
            "docker://" + wharf.host() + "/mirror/app:1.0");
        assertThat(TestImage.sha256(raw.stdout().getBytes(StandardCharsets.UTF_8))).as(raw.describe()).isEqualTo(appDigest);

        Path layout = work.resolve("layout");
        skopeo.ok(TIMEOUT, "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "--src-creds", creds,
            "docker://" + wharf.host() + "/mirror/multi:2.0", "oci:" + layout + ":2.0");
        JsonNode layoutIndex = JSON.readTree(Files.readString(layout.resolve("index.json")));
        assertThat(layoutIndex.path("manifests").get(0).path("digest").asString()).isEqualTo(index.digest());
        List<String> digests = new ArrayList<>(List.of(index.digest(), amd.manifestDigest(), arm.manifestDigest()));
        for (TestImage image : List.of(amd, arm)) {
            image.blobs().forEach(blob -> digests.add(TestImage.sha256(blob)));
        }
        for (String digest : digests) {
            Path blob = layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
            assertThat(blob).exists();
            assertThat(TestImage.sha256(Files.readAllBytes(blob))).isEqualTo(digest);
        }
    }

}
