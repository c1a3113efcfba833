package io.wharf.web.cluster;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.S3ProxyServer;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.web.clients.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three {@code wharf.jar} processes on one PostgreSQL schema and one S3-compatible store (s3proxy), nodes A and B
 * behind a {@link RoundRobinProxy}, as {@code docker-compose.yml} runs them behind nginx; node C is reached directly.
 * The nodes start once for the class, together, on an empty schema.
 *
 * <p>Quartz runs on the system clock inside the node processes, where no test clock reaches: the scheduled
 * replication below therefore fires every two seconds on wall-clock time and the test waits for its executions
 * (a condition with a deadline), which is the only wait on time here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeProcessIT {

    private static final Duration START = Duration.ofMinutes(4);
    private static final String PROJECT = "cluster";
    private static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");

    @TempDir
    static Path work;

    private static String schema;
    private static S3ProxyServer store;
    private static DockerHubEmulator hub;
    private static RoundRobinProxy proxy;
    private static WharfProcess nodeA;
    private static WharfProcess nodeB;
    private static WharfProcess nodeC;
    private static Instant flywayLockReleased;
    private static String chunkedManifestDigest;

    /**
     * Starts the three nodes at the same moment on an empty schema while the test holds Flyway's advisory lock for
     * that schema's history table (the lock a node takes for each migration), and lets go once all three have
     * reached Flyway: they then compete for it.
     */
    @BeforeAll
    static void startThreeNodesTogetherOnAnEmptySchema() throws Exception {
        schema = PostgresTestDatabase.newSchema();
        store = S3ProxyServer.start(Files.createDirectories(work.resolve("bucket")));
        hub = new DockerHubEmulator(Clock.systemUTC());
        int portA = WharfProcess.freePort();
        int portB = WharfProcess.freePort();
        int portC = WharfProcess.freePort();
        proxy = RoundRobinProxy.start(List.of(portA, portB));
        String[] quartzRuns = {"--wharf.replication.docker-hub-api-url=" + hub.hubApiUrl()};
        try (Connection db = database()) {
            try (Statement lock = db.createStatement()) {
                // an empty database as a DBA hands it over: the schema exists, nothing is in it
                lock.execute("CREATE SCHEMA " + schema);
                lock.execute("SELECT pg_advisory_lock(" + flywayLock(schema) + ")");
            }
            nodeA = ClusterNode.launch("node-a", work, portA, schema, store, proxy.url(), quartzRuns);
            nodeB = ClusterNode.launch("node-b", work, portB, schema, store, proxy.url(), quartzRuns);
            nodeC = ClusterNode.launch("node-c", work, portC, schema, store, proxy.url(), quartzRuns);
            for (WharfProcess node : nodes()) {
                await(node.name() + " reaches Flyway", START, () -> {
                    assertThat(node.alive()).as("%s is running; see %s", node.name(), node.log()).isTrue();
                    return node.logLines().stream().anyMatch(l -> l.contains("FlywayExecutor") && l.contains("Database: jdbc:postgresql"));
                });
            }
            assertThat(tableExists(db, "flyway_schema_history")).as("nobody migrated while the lock was held").isFalse();
            flywayLockReleased = Instant.now();
            try (Statement unlock = db.createStatement()) {
                unlock.execute("SELECT pg_advisory_unlock(" + flywayLock(schema) + ")");
            }
        }
        for (WharfProcess node : nodes()) {
            node.awaitReady(START);
        }
        nodeA.client().asAdmin().post("/api/v2.0/projects", Map.of("project_name", PROJECT, "metadata",
            Map.of("public", "false"))).expect(201);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (WharfProcess node : new WharfProcess[] {nodeA, nodeB, nodeC}) {
            if (node != null) {
                node.close();
            }
        }
        for (AutoCloseable closeable : new AutoCloseable[] {proxy, hub, store}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /**
     * Flyway takes its lock for each migration step, not for the whole run: the nodes take turns, each applying the
     * next pending version (or none) under the lock, so every version is applied exactly once, in order, and only
     * once the lock is free; each node starts when nothing is pending any more.
     */
    @Test
    @Order(1)
    void nodesStartedTogetherOnAnEmptySchemaApplyEachMigrationOnceUnderTheLock() throws Exception {
        List<String> expected = migrationVersions();
        try (Connection db = database(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT version, success FROM " + schema
                 + ".flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> applied = new ArrayList<>();
            while (rows.next()) {
                assertThat(rows.getBoolean("success")).as("migration %s succeeded", rows.getString("version")).isTrue();
                applied.add(rows.getString("version"));
            }
            assertThat(applied).as("each version once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        }
        Pattern step = Pattern.compile("Migrating schema \"[^\"]+\" to version \"([^ \"]+)");
        List<String> steps = new ArrayList<>();
        for (WharfProcess node : nodes()) {
            for (String line : node.logLines()) {
                Matcher matcher = step.matcher(line);
                if (matcher.find()) {
                    steps.add(matcher.group(1));
                    assertThat(Instant.parse(line.substring(0, line.indexOf(' ')))).as("%s: %s", node.name(), line)
                        .isAfterOrEqualTo(flywayLockReleased);
                }
            }
        }
        assertThat(steps).as("every version applied by one node, once, after the lock was free")
            .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Order(2)
    void aChunkedPushWhoseRequestsAlternateBetweenNodesPullsFromEveryNode() {
        RegistryClient balanced = RegistryClient.forUrl(proxy.url()).asAdmin();
        byte[] layer = random(3 * 1024 * 1024, 1);
        String digest = TestImage.sha256(layer);
        int half = layer.length / 2;
        proxy.reset();

        String location = balanced.startUpload(PROJECT + "/chunked").expect(202).headerValue("Location");
        location = balanced.send("PATCH", location, Arrays.copyOfRange(layer, 0, half), "Content-Type",
            "application/octet-stream", "Content-Range", "0-" + (half - 1)).expect(202).headerValue("Location");
        location = balanced.send("PATCH", location, Arrays.copyOfRange(layer, half, layer.length), "Content-Type",
            "application/octet-stream", "Content-Range", half + "-" + (layer.length - 1)).expect(202).headerValue("Location");
        balanced.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest).expect(201);

        assertThat(proxy.routed()).extracting(RoundRobinProxy.Routed::method).containsExactly("POST", "PATCH", "PATCH", "PUT");
        assertThat(proxy.routed()).extracting(RoundRobinProxy.Routed::node).as("A, B, A, B").containsExactly(0, 1, 0, 1);

        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = nodeC.client().asAdmin().pushBlob(PROJECT + "/chunked", config);
        String manifest = TestImage.imageManifest(TestImage.OCI_MANIFEST, TestImage.OCI_CONFIG, configDigest, config.length,
            TestImage.OCI_LAYER_TAR, digest, layer.length, "");
        String manifestDigest = balanced.pushManifest(PROJECT + "/chunked", "1.0", TestImage.OCI_MANIFEST, manifest);
        chunkedManifestDigest = manifestDigest;

        for (WharfProcess node : nodes()) {
            RegistryClient client = node.client().asAdmin();
            Response pulled = client.getManifest(PROJECT + "/chunked", "1.0").expect(200);
            assertThat(TestImage.sha256(pulled.body())).as("manifest from %s", node.name()).isEqualTo(manifestDigest);
            assertThat(TestImage.sha256(client.getBlob(PROJECT + "/chunked", digest).expect(200).body()))
                .as("layer from %s", node.name()).isEqualTo(digest);
            assertThat(TestImage.sha256(client.getBlob(PROJECT + "/chunked", configDigest).expect(200).body())).isEqualTo(configDigest);
        }
    }

    @Test
    @Order(3)
    void aTokenIssuedByOneNodeIsAcceptedByTheOthers() {
        nodeA.client().asAdmin().pushImage(PROJECT + "/token", "1", "token");
        String token = nodeA.client().asAdmin().tokenFor("repository:" + PROJECT + "/token:pull");
        for (WharfProcess node : List.of(nodeB, nodeC)) {
            node.client().get("/v2/" + PROJECT + "/token/manifests/1", "Authorization", "Bearer " + token,
                "Accept", TestImage.OCI_MANIFEST).expect(200);
        }

        proxy.reset();
        RegistryClient dockerLike = RegistryClient.forUrl(proxy.url()).asAdmin().withTokenFlow();
        dockerLike.getManifest(PROJECT + "/token", "1").expect(200);
        assertThat(proxy.routed()).extracting(r -> r.node() + " " + r.method() + " " + r.target().replaceAll("\\?.*", ""))
            .as("challenged by A, token from B, served by A").containsExactly(
                "0 GET /v2/" + PROJECT + "/token/manifests/1", "1 GET /service/token", "0 GET /v2/" + PROJECT + "/token/manifests/1");
    }

    @Test
    @Order(4)
    void aPasswordChangedOnOneNodeIsRefusedByEveryNodeAtOnce() {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        nodeA.client().asAdmin().post("/api/v2.0/users", Map.of("username", name, "email", name + "@example.com",
            "password", "Old12345x", "realname", "x")).expect(201);
        long id = 0;
        for (WharfProcess node : nodes()) {
            // each node checks the password once and keeps the check for a while
            id = node.client().withBasic(name, "Old12345x").get("/api/v2.0/users/current").expect(200).json().path("user_id").asLong();
        }

        nodeB.client().withBasic(name, "Old12345x").put("/api/v2.0/users/" + id + "/password",
            Map.of("old_password", "Old12345x", "new_password", "New12345x")).expect(200);

        for (WharfProcess node : nodes()) {
            RegistryClient old = node.client().withBasic(name, "Old12345x");
            assertThat(old.get("/api/v2.0/users/current").status()).as("old password on %s", node.name()).isEqualTo(401);
            assertThat(old.get("/v2/").status()).as("old password on /v2 of %s", node.name()).isEqualTo(401);
            assertThat(old.token("repository:" + PROJECT + "/x:pull").status()).isEqualTo(401);
            node.client().withBasic(name, "New12345x").get("/api/v2.0/users/current").expect(200);
        }
    }

    @Test
    @Order(5)
    void eachScheduledFireRunsOnceAcrossTheNodes() throws Exception {
        hub.push("acme/cron", "1", TestImage.random(TestImage.Format.OCI, AMD64, 7, 256));
        long registry = RegistryClient.idFromLocation(nodeA.client().asAdmin().post("/api/v2.0/registries",
            Map.of("name", "hub", "type", "docker-hub", "url", hub.registryUrl().toString())).expect(201));
        Instant created = Instant.now();
        long policy = RegistryClient.idFromLocation(nodeB.client().asAdmin().post("/api/v2.0/replication/policies",
            Map.of("name", "every-two-seconds", "src_registry", Map.of("id", registry), "dest_namespace", PROJECT,
                "dest_namespace_replace_count", 1, "filters", List.of(Map.of("type", "name", "value", "acme/cron")),
                "trigger", Map.of("type", "scheduled", "trigger_settings", Map.of("cron", "*/2 * * * * *")))).expect(201));
        RegistryClient admin = nodeC.client().asAdmin();
        String executions = "/api/v2.0/replication/executions?policy_id=" + policy + "&page_size=100";

        await("three scheduled executions finish", Duration.ofSeconds(90), () -> admin.get(executions).expect(200).json()
            .valueStream().filter(e -> e.path("status").asString().equals("Succeed")).count() >= 3);
        nodeC.client().asAdmin().put("/api/v2.0/replication/policies/" + policy, Map.of("enabled", false)).expect(200);
        Instant disabled = Instant.now();

        List<Instant> starts = admin.get(executions).expect(200).json().valueStream()
            .peek(e -> assertThat(e.path("trigger").asString()).isEqualTo("scheduled"))
            .map(e -> Instant.parse(e.path("start_time").asString())).sorted().toList();
        // the even seconds between creating and disabling the policy, plus one: Quartz computes a cron trigger's
        // first fire from one second before its start, so a policy created at hh:mm:04.2 may fire for hh:mm:04
        long fires = Duration.between(created, disabled).toMillis() / 2000 + 2;
        assertThat(starts).as("no more executions than fires").hasSizeLessThanOrEqualTo((int) fires);
        for (int i = 1; i < starts.size(); i++) {
            // two nodes running one fire would record it twice within milliseconds; fires are two seconds apart
            // (half of that is left for a fire that a busy machine runs late)
            assertThat(Duration.between(starts.get(i - 1), starts.get(i))).as("one execution per fire: %s", starts)
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
        try (Connection db = database(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT count(*) FROM " + schema + ".qrtz_scheduler_state")) {
            rows.next();
            assertThat(rows.getInt(1)).as("all three nodes are instances of the one clustered scheduler").isEqualTo(3);
        }
        assertThat(admin.headManifest(PROJECT + "/cron", "1").status()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void skopeoPushesAndPullsThroughTheRoundRobinProxy() throws Exception {
        Path dir = work.resolve("skopeo");
        Cli skopeo = Cli.skopeo(dir);
        TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 61, 700_000, 300_000);
        Path layout = image.writeOciLayout(dir.resolve("source"), "1.0");
        String creds = TestAccounts.ADMIN_USERNAME + ":" + TestAccounts.ADMIN_PASSWORD;
        String reference = "docker://" + proxy.host() + "/" + PROJECT + "/skopeo:1.0";
        proxy.reset();

        skopeo.ok(Duration.ofMinutes(2), "copy", "--dest-tls-verify=false", "--dest-creds", creds, "oci:" + layout + ":1.0", reference);
        assertThat(proxy.routed()).extracting(RoundRobinProxy.Routed::node).as("the push went to both nodes").contains(0, 1);
        Path copy = dir.resolve("copy");
        skopeo.ok(Duration.ofMinutes(2), "copy", "--src-tls-verify=false", "--src-creds", creds, "--preserve-digests",
            reference, "oci:" + copy + ":1.0");

        JsonNode index = JsonMapper.builder().build().readTree(Files.readString(copy.resolve("index.json")));
        assertThat(index.path("manifests").get(0).path("digest").asString()).isEqualTo(image.manifestDigest());
        List<String> digests = new ArrayList<>(List.of(image.manifestDigest()));
        image.blobs().forEach(blob -> digests.add(TestImage.sha256(blob)));
        for (String digest : digests) {
            Path blob = copy.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
            assertThat(TestImage.sha256(Files.readAllBytes(blob))).isEqualTo(digest);
        }
        assertThat(nodeC.client().asAdmin().headManifest(PROJECT + "/skopeo", "1.0").header("Docker-Content-Digest"))
            .contains(image.manifestDigest());
    }

    /**
     * Node C dies (SIGKILL) in the middle of a chunk: the chunk that was streaming is not counted, the blob is not
     * visible, and the client goes on with the same upload on the other nodes from the offset they report.
     */
    @Test
    @Order(7)
    void aNodeKilledDuringAPushLeavesNothingHalfWrittenAndTheClientFinishesOnAnotherNode() throws Exception {
        String repository = PROJECT + "/survivor";
        byte[] layer = random(6 * 1024 * 1024, 2);
        String digest = TestImage.sha256(layer);
        int first = 1024 * 1024;
        RegistryClient onC = nodeC.client().asAdmin();
        String location = onC.startUpload(repository).expect(202).headerValue("Location");
        location = onC.send("PATCH", location, Arrays.copyOfRange(layer, 0, first), "Content-Type", "application/octet-stream",
            "Content-Range", "0-" + (first - 1)).expect(202).headerValue("Location");

        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        String patchOnC = location;
        CompletableFuture<Response> interrupted = CompletableFuture.supplyAsync(() -> onC.request("PATCH", patchOnC)
            .header("Content-Type", "application/octet-stream")
            .stream(() -> new StallingStream(Arrays.copyOfRange(layer, first, layer.length), 2 * 1024 * 1024, halfway, killed))
            .send());
        assertThat(halfway.await(60, TimeUnit.SECONDS)).as("half of the second chunk sent").isTrue();
        nodeC.kill();
        killed.countDown();
        assertThat(interrupted).as("the chunk in flight fails with its node")
            .failsWithin(Duration.ofSeconds(60)).withThrowableThat().isNotNull();

        RegistryClient balanced = RegistryClient.forUrl(proxy.url()).asAdmin();
        assertThat(balanced.head("/v2/" + repository + "/blobs/" + digest).status()).as("no half blob").isEqualTo(404);
        Response status = balanced.get(location);
        assertThat(status.status()).isEqualTo(204);
        assertThat(status.headerValue("Range")).as("only the finished chunk counts").isEqualTo("0-" + (first - 1));
        location = balanced.send("PATCH", status.headerValue("Location"), Arrays.copyOfRange(layer, first, layer.length),
            "Content-Type", "application/octet-stream", "Content-Range", first + "-" + (layer.length - 1)).expect(202)
            .headerValue("Location");
        balanced.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest).expect(201);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"survivor\":true}".getBytes(StandardCharsets.UTF_8);
        String configDigest = balanced.pushBlob(repository, config);
        String manifestDigest = balanced.pushManifest(repository, "1.0", TestImage.OCI_MANIFEST, TestImage.imageManifest(
            TestImage.OCI_MANIFEST, TestImage.OCI_CONFIG, configDigest, config.length, TestImage.OCI_LAYER_TAR, digest, layer.length, ""));

        for (WharfProcess node : List.of(nodeA, nodeB)) {
            RegistryClient client = node.client().asAdmin();
            assertThat(TestImage.sha256(client.getManifest(repository, "1.0").expect(200).body())).isEqualTo(manifestDigest);
            assertThat(TestImage.sha256(client.getBlob(repository, digest).expect(200).body())).as("layer from %s", node.name())
                .isEqualTo(digest);
            assertThat(TestImage.sha256(client.getManifest(PROJECT + "/chunked", "1.0").expect(200).body()))
                .as("what was pushed before is intact").isEqualTo(chunkedManifestDigest);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static List<WharfProcess> nodes() {
        return List.of(nodeA, nodeB, nodeC);
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(PostgresTestDatabase.url(), PostgresTestDatabase.user(), PostgresTestDatabase.password());
    }

    /** The key of the advisory lock Flyway's PostgreSQL support takes to migrate: a constant plus the history table's hash. */
    private static long flywayLock(String schema) {
        return 77431708279161L + ("\"" + schema + "\".\"flyway_schema_history\"").hashCode();
    }

    private static boolean tableExists(Connection db, String table) throws SQLException {
        try (Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT to_regclass('" + schema + "." + table + "') IS NOT NULL")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    /** Every migration Wharf ships for PostgreSQL, as Flyway writes its version ({@code V10_1__x.sql}: {@code 10.1}). */
    private static List<String> migrationVersions() throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        List<String> versions = new ArrayList<>();
        for (String location : List.of("classpath*:db/migration/V*.sql", "classpath*:db/vendor/postgresql/V*.sql")) {
            for (Resource resource : resolver.getResources(location)) {
                String file = resource.getFilename();
                versions.add(file.substring(1, file.indexOf("__")).replace('_', '.'));
            }
        }
        assertThat(versions).isNotEmpty();
        return versions.stream().distinct().collect(Collectors.toList());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@code deadline}. */
    static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
