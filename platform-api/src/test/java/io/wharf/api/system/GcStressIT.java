package io.wharf.api.system;

import io.wharf.api.ApiTestApplication;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.S3ProxyServer;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage collection under load loses no referenced blob: pushers (sharing a base layer, mounting it
 * across repositories), a deleter and the collector run at once for a few seconds on the S3 driver
 * (s3proxy; blobs go in multi-object deletes of a small batch size), with a grace period of five seconds
 * so that the collector deletes during the test. Then every image whose push succeeded and that was not
 * deleted is pulled, digest for digest. The clock is the system's: the grace period has to pass while
 * the pushes go on, which is the point. (A push slower than the grace period is refused with
 * {@code MANIFEST_BLOB_UNKNOWN}, by design; it counts as failed, never as lost.)
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"wharf.gc.grace-period=5s", "wharf.gc.batch-size=5"})
class GcStressIT {

    private static final S3ProxyServer S3 = start();
    private static final String DATA_DIR = tempDir("wharf-gc-stress");
    private static final String PROJECT = "gcstress";
    /** The load lasts at least this long, and until the collector has run a few times and deleted blobs. */
    private static final Duration LOAD = Duration.ofSeconds(8);
    /** ... but never longer than this (a slow machine). */
    private static final Duration MAX_LOAD = Duration.ofSeconds(45);

    @LocalServerPort
    int port;

    @Autowired
    ProjectService projects;

    /** An image whose push succeeded: where, and the bytes of each of its blobs. */
    record Pushed(String repository, String tag, String manifestDigest, List<byte[]> blobs) {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> DATA_DIR);
        registry.add("wharf.storage.driver", () -> "minio");
        registry.add("wharf.storage.minio.endpoint", S3::endpoint);
        registry.add("wharf.storage.minio.bucket", () -> "wharf-gc");
        registry.add("wharf.storage.minio.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("wharf.storage.minio.secret-key", () -> S3ProxyServer.SECRET_KEY);
        registry.add("wharf.storage.minio.region", () -> "us-east-1");
        registry.add("wharf.storage.minio.part-size", () -> String.valueOf(5 * 1024 * 1024));
    }

    @AfterAll
    static void stop() throws Exception {
        S3.close();
    }

    @Test
    void collectingWhilePushingAndDeletingLosesNoReferencedBlob() throws Exception {
        TestProjects.ensure(projects, PROJECT);
        byte[] base = "a base layer every image shares".getBytes(StandardCharsets.UTF_8);
        RegistryClient.forPort(port).asAdmin().pushBlob(PROJECT + "/r0", base);
        Map<String, Pushed> live = new ConcurrentHashMap<>();
        AtomicInteger failedPushes = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Response> lastFailure = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicInteger deleted = new AtomicInteger();
        AtomicLong collected = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int pusher = p;
            work.add(threads.submit(() -> {
                RegistryClient client = RegistryClient.forPort(port).asAdmin();
                for (int i = 0; loading.get(); i++) {
                    String repository = PROJECT + "/r" + ((pusher + i) % 3);
                    Pushed pushed = push(client, repository, "p" + pusher + "-" + i, base, lastFailure);
                    if (pushed == null) {
                        failedPushes.incrementAndGet();
                    } else {
                        live.put(pushed.repository() + ":" + pushed.tag(), pushed);
                    }
                }
                return null;
            }));
        }
        work.add(threads.submit(() -> {
            RegistryClient client = RegistryClient.forPort(port).asAdmin();
            while (loading.get()) {
                List<String> keys = new ArrayList<>(live.keySet());
                if (keys.size() < 4) {
                    Thread.sleep(10); // until there is something to delete
                    continue;
                }
                Pushed victim = live.remove(keys.get(ThreadLocalRandom.current().nextInt(keys.size())));
                if (victim != null) {
                    client.deleteManifest(victim.repository(), victim.manifestDigest()).expect(202);
                    deleted.incrementAndGet();
                }
            }
            return null;
        }));
        work.add(threads.submit(() -> {
            RegistryClient client = RegistryClient.forPort(port).asAdmin();
            try {
                while (loading.get()) {
                    JsonNode run = collect(client);
                    collected.addAndGet(run.path("blobs_deleted").asLong());
                    runs.incrementAndGet();
                    long elapsed = System.nanoTime() - start;
                    if (elapsed > MAX_LOAD.toNanos() || elapsed > LOAD.toNanos() && runs.get() >= 3 && collected.get() > 0) {
                        loading.set(false);
                    }
                }
            } finally {
                loading.set(false); // a failed collection ends the load too
            }
            return null;
        }));
        for (Future<?> f : work) {
            f.get();
        }
        threads.shutdown();

        String progress = "runs " + runs + ", pushed " + (live.size() + deleted.get()) + ", failed pushes " + failedPushes
            + " (last: " + lastFailure.get() + "), deleted " + deleted + ", blobs collected " + collected;
        assertThat(runs.get()).as(progress).isGreaterThanOrEqualTo(3);
        assertThat(deleted.get()).as(progress).isGreaterThan(0);
        assertThat(collected.get()).as("the collector deleted blobs during the load").isGreaterThan(0);
        assertThat(live).as(progress).isNotEmpty();
        RegistryClient client = RegistryClient.forPort(port).asAdmin();
        for (Pushed pushed : live.values()) {
            Response manifest = client.getManifest(pushed.repository(), pushed.tag()).expect(200);
            assertThat(Digest.sha256(manifest.body()).toString()).isEqualTo(pushed.manifestDigest());
            for (byte[] blob : pushed.blobs()) {
                String digest = Digest.sha256(blob).toString();
                assertThat(client.getBlob(pushed.repository(), digest).expect(200).body()).as(pushed + " " + digest).isEqualTo(blob);
            }
        }
    }

    /**
     * Pushes an image of a unique config and layer over the shared base layer, mounting the base from
     * another repository when it can; null when the registry refused a step (the client would retry).
     */
    private static Pushed push(RegistryClient client, String repository, String tag, byte[] base,
                               java.util.concurrent.atomic.AtomicReference<Response> failure) {
        String seed = repository + " " + tag + " " + System.nanoTime();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
        String baseDigest = Digest.sha256(base).toString();
        String from = PROJECT + "/r" + ThreadLocalRandom.current().nextInt(3);
        Response failed = client.mountBlob(repository, baseDigest, from).status() == 201 ? null : client.tryPushBlob(repository, base);
        if (failed == null) {
            failed = client.tryPushBlob(repository, config);
        }
        if (failed == null) {
            failed = client.tryPushBlob(repository, layer);
        }
        if (failed != null) {
            failure.set(failed);
            return null;
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + TestImage.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
            + TestImage.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":["
            + "{\"mediaType\":\"" + TestImage.OCI_LAYER_TAR + "\",\"digest\":\"" + baseDigest + "\",\"size\":" + base.length + "},"
            + "{\"mediaType\":\"" + TestImage.OCI_LAYER_TAR + "\",\"digest\":\"" + Digest.sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
        Response put = client.putManifest(repository, tag, TestImage.OCI_MANIFEST, body);
        if (put.status() != 201) {
            failure.set(put);
            return null;
        }
        return new Pushed(repository, tag, Digest.sha256(body).toString(), List.of(config, base, layer));
    }

    /** One collection, started as admin and waited for. */
    private static JsonNode collect(RegistryClient client) throws InterruptedException {
        Response started = client.post("/api/v2.0/system/gc/schedule", Map.of("schedule", Map.of("type", "Manual"),
            "parameters", Map.of("workers", 2))).expect(201);
        String location = started.headerValue("Location");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = client.get(location).expect(200).json();
            String status = run.path("job_status").asString();
            if (status.equals("Error")) {
                throw new AssertionError("the collection failed: " + client.get(location + "/log").text());
            }
            if (status.equals("Success")) {
                return run;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + location);
    }

    private static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static S3ProxyServer start() {
        try {
            return S3ProxyServer.start(Files.createTempDirectory("wharf-gc-s3"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
