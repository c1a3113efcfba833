package io.wharf.api.replication;

import io.wharf.api.WharfNodes;
import io.wharf.replication.execution.ExecutionStatus;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Import;
import org.springframework.web.context.support.ServletRequestHandledEvent;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication between two Wharfs: this one (the test's context) and a second one started with
 * {@link WharfNodes} on a schema of its own. Push policies, run by hand or by push and delete events,
 * copy images and indexes that pull back byte for byte, and a re-run writes nothing to the remote; a
 * pull policy lists the remote through {@code /v2/_catalog} and rewrites names; wrong credentials and
 * unreachable registries fail readably. The remote's requests are recorded (method and path) from the
 * request-handled events of its dispatcher servlet.
 */
@Import(ReplicationIntegrationTest.Beans.class)
class WharfToWharfReplicationIT extends ReplicationIntegrationTest {

    static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    static final TestImage.Platform ARM64 = TestImage.Platform.of("linux", "arm64");

    /** What the remote Wharf was asked, as {@code METHOD path}, in the order it answered. */
    static final List<String> REMOTE_REQUESTS = new CopyOnWriteArrayList<>();

    static WharfNodes remote;

    @BeforeAll
    static void startRemote() throws IOException {
        remote = WharfNodes.start(1, "--wharf.admin-password=" + ADMIN_PASSWORD);
        remote.node(0).addApplicationListener((ApplicationListener<ApplicationEvent>) event -> {
            if (event instanceof ServletRequestHandledEvent handled) {
                REMOTE_REQUESTS.add(handled.getMethod() + " " + handled.getRequestUrl());
            }
        });
    }

    @AfterAll
    static void stopRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    /** The remote Wharf, as its admin. */
    static RegistryClient there() {
        return RegistryClient.forPort(remote.port(0)).as(ADMIN);
    }

    static String remoteUrl() {
        return "http://127.0.0.1:" + remote.port(0);
    }

    /** A new private project on the remote Wharf; returns its name. */
    static String remoteProject() {
        String name = unique("far");
        there().createProject(name, false);
        return name;
    }

    /** A registry endpoint for the remote Wharf; returns its id. */
    long endpoint(String type, String username, String password) {
        Response created = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("wharf"), type, remoteUrl(), username, password));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** A manual push policy: the repositories of the local {@code source} project into the remote {@code target}. */
    static Map<String, Object> pushPolicy(long registry, String source, String target) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("push"));
        body.put("dest_registry", Map.of("id", registry));
        body.put("dest_namespace", target);
        body.put("dest_namespace_replace_count", 1);
        body.put("trigger", Map.of("type", "manual"));
        body.put("filters", List.of(name(source + "/**")));
        return body;
    }

    static TestImage image(TestImage.Platform platform, long... layerSizes) {
        return TestImage.random(TestImage.Format.OCI, platform, ThreadLocalRandom.current().nextLong(), layerSizes);
    }

    /** Pushes an OCI index of {@code amd} and {@code arm}: the images by digest, then the index under {@code tag}. */
    static TestImage.Blob pushIndex(RegistryClient client, String repository, String tag, TestImage amd, TestImage arm) {
        client.push(repository, amd.manifestDigest(), amd);
        client.push(repository, arm.manifestDigest(), arm);
        Map<TestImage.Platform, TestImage> children = new LinkedHashMap<>();
        children.put(AMD64, amd);
        children.put(ARM64, arm);
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, children);
        client.pushManifest(repository, tag, index.mediaType(), index.content());
        return index;
    }

    static long size(TestImage... images) {
        long bytes = 0;
        for (TestImage image : images) {
            for (byte[] blob : image.blobs()) {
                bytes += blob.length;
            }
        }
        return bytes;
    }

    /** Asserts that {@code client} serves {@code image} in {@code repository} by {@code tag} and by digest, byte for byte. */
    static void assertServes(RegistryClient client, String repository, String tag, TestImage image) {
        for (String reference : tag == null ? List.of(image.manifestDigest()) : List.of(tag, image.manifestDigest())) {
            Response manifest = client.getManifest(repository, reference);
            assertThat(manifest.status()).as("%s", manifest).isEqualTo(200);
            assertThat(manifest.header("Docker-Content-Digest")).contains(image.manifestDigest());
            assertThat(manifest.header("Content-Type")).contains(image.manifestType());
            assertThat(manifest.body()).isEqualTo(image.manifest());
        }
        for (byte[] blob : image.blobs()) {
            Response read = client.getBlob(repository, TestImage.sha256(blob));
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.body()).isEqualTo(blob);
        }
    }

    static JsonNode task(List<JsonNode> tasks, String srcResource) {
        return tasks.stream().filter(t -> t.path("src_resource").asString().equals(srcResource)).findFirst()
            .orElseThrow(() -> new AssertionError("no task for " + srcResource + " in " + tasks));
    }

    List<String> executionsOf(long policy) {
        return names(http.as(ADMIN).get("/api/v2.0/replication/executions?policy_id=" + policy + "&page_size=100"), "status");
    }

    @Test
    void aManualPushCopiesImagesAndIndexesByteForByteAndAnUnchangedRerunWritesNothing() throws Exception {
        String source = unique("src");
        createProject(source, false, ADMIN);
        String target = remoteProject();
        // a layer of some megabytes: blobs stream out in one PUT, never held whole in memory
        TestImage app = TestImage.random(TestImage.Format.DOCKER, AMD64, ThreadLocalRandom.current().nextLong(), 3000, 3 << 20);
        TestImage amd = image(AMD64, 1500);
        TestImage arm = image(ARM64, 1700);
        http.as(ADMIN).push(source + "/app", "1.0", app);
        TestImage.Blob index = pushIndex(http.as(ADMIN), source + "/multi", "2.0", amd, arm);
        long policy = createPolicy(pushPolicy(endpoint("wharf", "admin", ADMIN_PASSWORD), source, target));

        REMOTE_REQUESTS.clear();
        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(execution.path("total").asInt()).isEqualTo(2);
        assertThat(execution.path("skipped").asInt()).isZero();
        List<JsonNode> tasks = tasks(execution.path("id").asLong());
        JsonNode appTask = task(tasks, source + "/app:1.0");
        assertThat(appTask.path("dst_resource").asString()).isEqualTo(target + "/app:1.0");
        assertThat(appTask.path("status").asString()).isEqualTo("Succeed");
        assertThat(appTask.path("bytes").asLong()).as("config and layers").isEqualTo(size(app));
        JsonNode indexTask = task(tasks, source + "/multi:2.0");
        assertThat(indexTask.path("digest").asString()).isEqualTo(index.digest());
        assertThat(indexTask.path("bytes").asLong()).as("the blobs of both children").isEqualTo(size(amd, arm));
        assertThat(REMOTE_REQUESTS).as("blobs were uploaded").anyMatch(r -> r.startsWith("POST "));

        RegistryClient there = there();
        assertServes(there, target + "/app", "1.0", app);
        Response remoteIndex = there.getManifest(target + "/multi", "2.0", TestImage.OCI_INDEX);
        assertThat(remoteIndex.status()).as("%s", remoteIndex).isEqualTo(200);
        assertThat(remoteIndex.header("Docker-Content-Digest")).contains(index.digest());
        assertThat(remoteIndex.body()).isEqualTo(index.content());
        assertThat(there.getManifest(target + "/multi", index.digest(), TestImage.OCI_INDEX).body()).isEqualTo(index.content());
        assertServes(there, target + "/multi", null, amd);
        assertServes(there, target + "/multi", null, arm);

        REMOTE_REQUESTS.clear();
        JsonNode again = run(policy);
        assertThat(again.path("status").asString()).as("%s", again).isEqualTo("Succeed");
        assertThat(again.path("skipped").asInt()).as("%s", again).isEqualTo(2);
        for (JsonNode task : tasks(again.path("id").asLong())) {
            assertThat(task.path("status").asString()).as("%s", task).isEqualTo("Skipped");
            assertThat(task.path("bytes").asLong()).as("%s", task).isZero();
            assertThat(log(again.path("id").asLong(), task.path("id").asLong())).contains("unchanged");
        }
        assertThat(REMOTE_REQUESTS).as("the re-run only looked").isNotEmpty()
            .allMatch(r -> r.startsWith("HEAD ") || r.startsWith("GET "));
    }

    @Test
    void aPushWithAPlatformFilterSendsThatPlatformOnlyAndAnUnchangedRerunSkipsTheIndex() throws Exception {
        String source = unique("src");
        createProject(source, false, ADMIN);
        String target = remoteProject();
        TestImage amd = image(AMD64, 1200);
        TestImage arm = image(ARM64, 1300);
        TestImage.Blob index = pushIndex(http.as(ADMIN), source + "/multi", "3.0", amd, arm);
        Map<String, Object> body = pushPolicy(endpoint("wharf", "admin", ADMIN_PASSWORD), source, target);
        body.put("filters", List.of(name(source + "/**"), Map.of("type", "platform", "value", "linux/amd64")));
        long policy = createPolicy(body);

        JsonNode execution = run(policy);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        JsonNode task = tasks(execution.path("id").asLong()).get(0);
        assertThat(task.path("bytes").asLong()).as("only the amd64 image's blobs").isEqualTo(size(amd));
        RegistryClient there = there();
        Response filtered = there.getManifest(target + "/multi", "3.0", TestImage.OCI_INDEX);
        assertThat(filtered.status()).as("%s", filtered).isEqualTo(200);
        assertThat(filtered.json().path("manifests").valueStream().map(m -> m.path("digest").asString()).toList())
            .containsExactly(amd.manifestDigest());
        assertThat(filtered.json().path("annotations").path("io.wharf.replication.source-digest").asString())
            .isEqualTo(index.digest());
        assertThat(filtered.header("Docker-Content-Digest")).contains(task.path("digest").asString());
        assertServes(there, target + "/multi", null, amd);
        assertThat(there.headManifest(target + "/multi", arm.manifestDigest()).status()).as("not sent").isEqualTo(404);

        REMOTE_REQUESTS.clear();
        JsonNode again = run(policy);
        assertThat(again.path("skipped").asInt()).as("the filtered index is unchanged: %s", again).isEqualTo(1);
        assertThat(REMOTE_REQUESTS).as("the re-run only looked").allMatch(r -> r.startsWith("HEAD ") || r.startsWith("GET "));
    }

    @Test
    void anEventBasedPushFollowsTagPushesAndDeletions() throws Exception {
        String source = unique("src");
        createProject(source, false, ADMIN);
        String target = remoteProject();
        Map<String, Object> body = pushPolicy(endpoint("wharf", "admin", ADMIN_PASSWORD), source, target);
        body.put("trigger", Map.of("type", "event_based"));
        body.put("replicate_deletion", true);
        body.put("filters", List.of(name(source + "/**"), tag("{1,2}")));
        long policy = createPolicy(body);
        RegistryClient there = there();

        TestImage app = image(AMD64, 2000);
        String digest = http.as(ADMIN).push(source + "/app", "1", app);
        ReplicationFinished pushed = finished.next(policy);
        assertThat(pushed.status()).as("%s", pushed).isEqualTo(ExecutionStatus.SUCCEED);
        JsonNode execution = execution(pushed.executionId());
        assertThat(execution.path("trigger").asString()).isEqualTo("event_based");
        assertThat(tasks(pushed.executionId())).singleElement()
            .satisfies(t -> assertThat(t.path("src_resource").asString()).isEqualTo(source + "/app:1"));
        assertThat(there.headManifest(target + "/app", "1").header("Docker-Content-Digest")).contains(digest);

        // the children of an index are pushed by digest first: only the tag starts an execution
        TestImage.Blob index = pushIndex(http.as(ADMIN), source + "/multi", "2", image(AMD64, 900), image(ARM64, 900));
        ReplicationFinished indexPushed = finished.next(policy);
        assertThat(indexPushed.status()).as("%s", indexPushed).isEqualTo(ExecutionStatus.SUCCEED);
        assertThat(there.getManifest(target + "/multi", "2", TestImage.OCI_INDEX).header("Docker-Content-Digest"))
            .contains(index.digest());
        assertThat(executionsOf(policy)).as("one execution per tag pushed").hasSize(2);
        http.as(ADMIN).push(source + "/app", "dev", image(AMD64, 300));
        assertThat(executionsOf(policy)).as("the tag filter leaves dev out").hasSize(2);

        Response deleted = http.as(ADMIN).deleteManifest(source + "/app", "1");
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(202);
        ReplicationFinished deletion = finished.next(policy);
        assertThat(deletion.status()).as("%s", deletion).isEqualTo(ExecutionStatus.SUCCEED);
        assertThat(tasks(deletion.executionId())).singleElement()
            .satisfies(t -> assertThat(t.path("operation").asString()).isEqualTo("deletion"));
        assertThat(there.headManifest(target + "/app", "1").status()).as("the tag is gone remotely").isEqualTo(404);
        assertThat(there.headManifest(target + "/app", digest).status()).as("as locally, the manifest stays").isEqualTo(200);

        assertThat(http.as(ADMIN).deleteManifest(source + "/multi", index.digest()).status()).isEqualTo(202);
        ReplicationFinished digestDeletion = finished.next(policy);
        assertThat(digestDeletion.status()).as("%s", digestDeletion).isEqualTo(ExecutionStatus.SUCCEED);
        assertThat(there.headManifest(target + "/multi", index.digest()).status()).as("deleted by digest").isEqualTo(404);
        assertThat(there.headManifest(target + "/multi", "2").status()).as("with its tag").isEqualTo(404);
        assertThat(executionsOf(policy)).containsOnly("Succeed").hasSize(4);
    }

    @Test
    void aPullFromAnotherWharfListsItsCatalogAndRewritesNames() throws Exception {
        RegistryClient there = there();
        String project = remoteProject();
        String other = remoteProject();
        TestImage web10 = image(AMD64, 700);
        TestImage web11 = image(AMD64, 800);
        TestImage cli = image(ARM64, 900);
        there.push(project + "/web", "1.0", web10);
        there.push(project + "/web", "1.1", web11);
        there.push(project + "/web", "latest", image(AMD64, 600));
        there.push(project + "/tools/cli", "1.0", cli);
        there.push(other + "/web", "1.0", image(AMD64, 500));
        String mirror = unique("mirror");
        createProject(mirror, false, ADMIN);
        String flat = unique("flat");
        createProject(flat, false, ADMIN);
        long registry = endpoint("docker-registry", "admin", ADMIN_PASSWORD);

        REMOTE_REQUESTS.clear();
        JsonNode execution = run(createPolicy(pullPolicy(registry, mirror, 1, List.of(name(project + "/**"), tag("1.*")))));
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("Succeed");
        assertThat(REMOTE_REQUESTS).as("listed through the catalog").anyMatch(r -> r.startsWith("GET ") && r.contains("catalog"));
        assertThat(tasks(execution.path("id").asLong()).stream()
            .map(t -> t.path("src_resource").asString() + " -> " + t.path("dst_resource").asString()).toList())
            .as("replace count 1 swaps the first component for the namespace").containsExactlyInAnyOrder(
                project + "/web:1.0 -> " + mirror + "/web:1.0",
                project + "/web:1.1 -> " + mirror + "/web:1.1",
                project + "/tools/cli:1.0 -> " + mirror + "/tools/cli:1.0");
        assertServes(http.as(ADMIN), mirror + "/web", "1.0", web10);
        assertServes(http.as(ADMIN), mirror + "/web", "1.1", web11);
        assertServes(http.as(ADMIN), mirror + "/tools/cli", "1.0", cli);
        assertThat(http.as(ADMIN).headManifest(mirror + "/web", "latest").status()).as("the tag filter").isEqualTo(404);
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects/" + mirror + "/repositories"), "name"))
            .containsExactlyInAnyOrder(mirror + "/web", mirror + "/tools/cli");

        JsonNode flattened = run(createPolicy(pullPolicy(registry, flat, -1, List.of(name(project + "/tools/*")))));
        assertThat(flattened.path("status").asString()).as("%s", flattened).isEqualTo("Succeed");
        assertThat(tasks(flattened.path("id").asLong())).singleElement()
            .satisfies(t -> assertThat(t.path("dst_resource").asString()).as("-1 keeps the last component").isEqualTo(flat + "/cli:1.0"));
        assertServes(http.as(ADMIN), flat + "/cli", "1.0", cli);
    }

    @Test
    void wrongCredentialsAndClosedPortsFailPingAndExecutionsReadably() throws Exception {
        // a remote user of its own: the wrong passwords below never bring the admin near a lockout
        String user = unique("repl");
        there().createUser(user, PASSWORD);
        String ping = "/api/v2.0/registries/ping";
        Response good = http.as(ADMIN).post(ping, ReplicationApiIT.registry("t", "wharf", remoteUrl(), user, PASSWORD));
        assertThat(good.status()).as("%s", good).isEqualTo(200);
        assertThat(good.json().path("credentials_valid").asBoolean()).isTrue();
        long goodEndpoint = endpoint("wharf", user, PASSWORD);
        assertThat(http.as(ADMIN).post(ping, Map.of("id", goodEndpoint)).status()).as("the stored secret is used").isEqualTo(200);
        JsonNode wrong = assertHarborError(http.as(ADMIN).post(ping,
            ReplicationApiIT.registry("t", "wharf", remoteUrl(), user, "Wrong-" + PASSWORD)), 400, "BAD_REQUEST");
        assertThat(wrong.path("message").asString()).contains("failed to ping").contains(user);
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        JsonNode unreachable = assertHarborError(http.as(ADMIN).post(ping,
            ReplicationApiIT.registry("t", "docker-registry", "http://127.0.0.1:" + closed, "", "")), 400, "BAD_REQUEST");
        assertThat(unreachable.path("message").asString()).contains("unreachable");

        long badEndpoint = endpoint("wharf", user, "Wrong-" + PASSWORD);
        assertHarborError(http.as(ADMIN).post(ping, Map.of("id", badEndpoint)), 400, "BAD_REQUEST");
        String remoteProject = remoteProject();
        there().push(remoteProject + "/app", "1", image(AMD64, 400));
        String mirror = unique("mirror");
        createProject(mirror, false, ADMIN);
        JsonNode pull = run(createPolicy(pullPolicy(badEndpoint, mirror, 1, List.of(name(remoteProject + "/**")))));
        assertThat(pull.path("status").asString()).as("%s", pull).isEqualTo("Failed");
        assertThat(pull.path("status_text").asString()).contains("refused the credentials of " + user);
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects/" + mirror + "/repositories"), "name"))
            .as("nothing half-written").isEmpty();

        String source = unique("src");
        createProject(source, false, ADMIN);
        http.as(ADMIN).push(source + "/app", "1", image(AMD64, 400));
        String target = remoteProject();
        JsonNode push = run(createPolicy(pushPolicy(badEndpoint, source, target)));
        assertThat(push.path("status").asString()).as("%s", push).isEqualTo("Failed");
        assertThat(push.path("failed").asInt()).isEqualTo(1);
        JsonNode task = tasks(push.path("id").asLong()).get(0);
        assertThat(task.path("status").asString()).isEqualTo("Failed");
        assertThat(task.path("error").asString()).contains("refused the credentials of " + user);
        assertThat(task.path("attempts").asInt()).as("a refusal is not retried").isEqualTo(1);
        assertThat(names(there().get("/api/v2.0/projects/" + target + "/repositories"), "name")).isEmpty();

        // network failures are transient: a task gets its three attempts before it fails
        Response offline = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("offline"), "docker-registry", "http://127.0.0.1:" + closed, "", ""));
        assertThat(offline.status()).as("%s", offline).isEqualTo(201);
        JsonNode unreached = run(createPolicy(pushPolicy(idFromLocation(offline), source, target)));
        assertThat(unreached.path("status").asString()).as("%s", unreached).isEqualTo("Failed");
        JsonNode offlineTask = tasks(unreached.path("id").asLong()).get(0);
        assertThat(offlineTask.path("error").asString()).contains("127.0.0.1:" + closed).contains("failed after");
        assertThat(offlineTask.path("attempts").asInt()).as("%s", offlineTask).isEqualTo(3);
    }
}
