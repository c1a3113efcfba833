package io.wharf.api.quota;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.storage.StoragePaths;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.webhook.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project storage quotas against the running API on PostgreSQL: usage exact across pushes of shared
 * layers, mounts, other projects, manifest and repository deletes and unlinked blobs (what garbage
 * collection does); pushes over the limit refused with {@code DENIED} before anything is stored, on
 * every path (monolithic, chunked, streamed, mount, manifest); concurrent pushes held to the limit;
 * the warning and exceed webhooks and audit entries; who may read and change quotas; bad input. It shares
 * the context of the other {@link AccountsIntegrationTest}s (the default warning level, 85 %). The
 * quota gauge is checked by {@code MonitoringIT} (platform-web), where {@code /metrics} is served.
 */
class QuotaIT extends AccountsIntegrationTest {

    @Autowired
    LinkedBlobStore links;

    @Autowired
    RepositoryStore repositories;

    @Autowired
    StorageDriver driver;

    /** Creates a project as admin with {@code limit} bytes; returns its quota's id. */
    long projectWithLimit(String name, long limit) {
        Response created = http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", name, "storage_limit", limit));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return quotaOf(idFromLocation(created)).path("id").asLong();
    }

    JsonNode quotaOf(long projectId) {
        Response list = http.as(ADMIN).get("/api/v2.0/quotas?reference=project&reference_id=" + projectId);
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(list.json().size()).as("%s", list).isEqualTo(1);
        return list.json().get(0);
    }

    long used(long quotaId) {
        Response quota = http.as(ADMIN).get("/api/v2.0/quotas/" + quotaId);
        assertThat(quota.status()).as("%s", quota).isEqualTo(200);
        return quota.json().path("used").path("storage").asLong();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String manifest(byte[] config, byte[] layer) {
        return TestImage.imageManifest(TestImage.OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", TestImage.sha256(config),
            config.length, "application/vnd.oci.image.layer.v1.tar", TestImage.sha256(layer), layer.length, "");
    }

    static void assertQuotaDenied(Response response, String project) {
        assertOciError(response, 403, "DENIED");
        assertThat(response.json().path("errors").path(0).path("message").asString()).as("%s", response)
            .startsWith("quota exceeded: project '" + project + "' uses ");
    }

    void assertNothingStored(String digest) throws IOException {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, digest)).isZero();
        assertThat(driver.exists(StoragePaths.blob(Digest.parse(digest)))).as("no object for %s", digest).isFalse();
    }

    void assertNoUploadLeft(String project) throws IOException {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM upload_session WHERE repository_name LIKE ?", Long.class, project + "/%"))
            .isZero();
        for (String path : driver.list(StoragePaths.uploads())) {
            String id = path.split("/")[1];
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM upload_session WHERE CAST(id AS VARCHAR) = ?", Long.class, id))
                .as("upload data without a session: %s", path).isPositive();
        }
    }

    void unlink(String repository, String digest) {
        assertThat(links.unlink(repositories.find(RepositoryName.of(repository)).orElseThrow(), Digest.parse(digest))).isTrue();
    }

    @Test
    void usageCountsEachDigestOncePerProjectAcrossPushesMountsDeletesAndUnlinks() {
        String p = unique("quota");
        long quota = projectWithLimit(p, 10_000_000);
        assertThat(used(quota)).isZero();
        byte[] layer = random(3000, 1);
        byte[] config1 = "{\"os\":\"linux\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] config2 = "{\"os\":\"linux\",\"n\":22}".getBytes(StandardCharsets.UTF_8);
        String m1 = manifest(config1, layer);
        String m2 = manifest(config2, layer);
        RegistryClient admin = http.as(ADMIN);

        admin.pushBlob(p + "/one", layer);
        admin.pushBlob(p + "/one", config1);
        String m1Digest = admin.pushManifest(p + "/one", "1", TestImage.OCI_MANIFEST, m1);
        long image1 = layer.length + config1.length + m1.length();
        assertThat(used(quota)).isEqualTo(image1);

        // the shared layer is uploaded again into another repository: it counts once
        admin.pushBlob(p + "/two", layer);
        admin.pushBlob(p + "/two", config2);
        String m2Digest = admin.pushManifest(p + "/two", "1", TestImage.OCI_MANIFEST, m2);
        assertThat(used(quota)).isEqualTo(image1 + config2.length + m2.length());
        // a mount of what the project holds costs nothing, and the same manifest in another repository neither
        assertThat(admin.mountBlob(p + "/three", TestImage.sha256(layer), p + "/one").status()).isEqualTo(201);
        admin.pushBlob(p + "/four", layer);
        admin.pushBlob(p + "/four", config1);
        admin.pushManifest(p + "/four", "1", TestImage.OCI_MANIFEST, m1);
        assertThat(used(quota)).isEqualTo(image1 + config2.length + m2.length());

        // another project holding the same blobs counts them in full, and p does not change
        String q = unique("other");
        long other = projectWithLimit(q, -1);
        admin.pushBlob(q + "/x", layer);
        admin.pushBlob(q + "/x", config1);
        admin.pushManifest(q + "/x", "1", TestImage.OCI_MANIFEST, m1);
        assertThat(used(other)).isEqualTo(image1);
        assertThat(used(quota)).isEqualTo(image1 + config2.length + m2.length());
        assertThat(quotaOf(http.as(ADMIN).get("/api/v2.0/projects/" + q).json().path("project_id").asLong())
            .path("hard").path("storage").asLong()).isEqualTo(-1);

        // deleting a manifest frees its own bytes; its blobs stay linked until garbage collection unlinks them
        assertThat(admin.deleteManifest(p + "/two", m2Digest).status()).isEqualTo(202);
        assertThat(used(quota)).isEqualTo(image1 + config2.length);
        unlink(p + "/two", TestImage.sha256(config2));
        assertThat(used(quota)).isEqualTo(image1);
        // a deleted repository's links go with it; what other repositories hold stays counted
        assertThat(admin.delete("/api/v2.0/projects/" + p + "/repositories/one").status()).isEqualTo(200);
        assertThat(used(quota)).isEqualTo(image1);
        assertThat(admin.delete("/api/v2.0/projects/" + p + "/repositories/four").status()).isEqualTo(200);
        assertThat(used(quota)).isEqualTo(layer.length);
        unlink(p + "/two", TestImage.sha256(layer));
        unlink(p + "/three", TestImage.sha256(layer));
        assertThat(used(quota)).isZero();
        assertThat(used(other)).isEqualTo(image1);
        assertThat(m1Digest).isNotEqualTo(m2Digest);
    }

    @Test
    void aPushOverTheLimitIsRefusedWithDeniedBeforeAnythingIsStoredOnEveryPath() throws IOException {
        String p = unique("full");
        long quota = projectWithLimit(p, 5000);
        RegistryClient admin = http.as(ADMIN);
        byte[] first = random(3000, 2);
        admin.pushBlob(p + "/app", first);

        // monolithic: POST then PUT with the body
        byte[] big = random(2500, 3);
        Response monolithic = admin.tryPushBlob(p + "/app", big);
        assertQuotaDenied(monolithic, p);
        assertThat(monolithic.json().path("errors").path(0).path("message").asString())
            .isEqualTo("quota exceeded: project '" + p + "' uses 3000 of 5000 bytes, this upload needs 2500 more");
        // POST ?digest= with the body
        assertQuotaDenied(admin.send("POST", "/v2/" + p + "/app/blobs/uploads/?digest=" + TestImage.sha256(big), big,
            "Content-Type", "application/octet-stream"), p);
        // a chunk whose declared length does not fit is refused, and the upload is gone
        String location = admin.startUpload(p + "/app").expect(202).headerValue("Location");
        String next = admin.send("PATCH", location, random(1500, 4), "Content-Type", "application/octet-stream",
            "Content-Range", "0-1499").expect(202).headerValue("Location");
        Response chunk = admin.send("PATCH", next, random(1000, 5), "Content-Type", "application/octet-stream",
            "Content-Range", "1500-2499");
        assertQuotaDenied(chunk, p);
        assertThat(admin.get(location).status()).as("the upload is cancelled").isEqualTo(404);
        // streamed without a length: cut off once it no longer fits
        String streamed = admin.startUpload(p + "/app").expect(202).headerValue("Location");
        Response cut = admin.request("PATCH", streamed).header("Content-Type", "application/octet-stream")
            .stream(() -> new ByteArrayInputStream(random(2600, 6))).send();
        assertQuotaDenied(cut, p);
        assertThat(admin.get(streamed).status()).isEqualTo(404);
        assertNothingStored(TestImage.sha256(big));
        assertNoUploadLeft(p);
        assertThat(used(quota)).isEqualTo(3000);

        // a mount of a blob the project does not hold counts like a push
        String elsewhere = unique("source");
        projectWithLimit(elsewhere, -1);
        admin.pushBlob(elsewhere + "/src", big);
        assertQuotaDenied(admin.mountBlob(p + "/app", TestImage.sha256(big), elsewhere + "/src"), p);
        assertThat(admin.getBlob(p + "/app", TestImage.sha256(big)).status()).isEqualTo(404);

        // a blob the project holds costs nothing, even at the limit
        byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        admin.pushBlob(p + "/app", config);
        String fits = manifest(config, first);
        admin.put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", 3000 + config.length + fits.length() - 1)))
            .expect(200);
        assertThat(admin.tryPushBlob(p + "/other", first)).as("already held").isNull();
        // the manifest is one byte too many: refused, and not stored
        Response manifest = admin.putManifest(p + "/app", "1", TestImage.OCI_MANIFEST, fits.getBytes(StandardCharsets.UTF_8));
        assertQuotaDenied(manifest, p);
        assertThat(manifest.json().path("errors").path(0).path("message").asString()).endsWith("this manifest needs " + fits.length() + " more");
        assertThat(admin.getManifest(p + "/app", "1").status()).isEqualTo(404);
        assertNothingStored(TestImage.sha256(fits.getBytes(StandardCharsets.UTF_8)));
        admin.put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", 3000 + config.length + fits.length()))).expect(200);
        assertThat(admin.putManifest(p + "/app", "1", TestImage.OCI_MANIFEST, fits.getBytes(StandardCharsets.UTF_8)).status())
            .isEqualTo(201);
        assertThat(used(quota)).isEqualTo(3000 + config.length + fits.length());

        // every refusal is in the audit log of the project
        List<String> operations = jdbc.queryForList("SELECT operation FROM audit_log WHERE project = ? AND resource_type = 'quota'"
            + " AND outcome <> 'success' ORDER BY id", String.class, p);
        assertThat(operations).hasSize(6).containsOnly("exceed");
    }

    @Test
    void copyingAnArtifactIntoAProjectCountsWhatItDoesNotHoldYet() {
        String source = unique("src");
        projectWithLimit(source, -1);
        TestImage image = TestImage.simple(source);
        http.as(ADMIN).push(source + "/app", "1.0", image);
        String target = unique("dst");
        long quota = projectWithLimit(target, image.storedSize() - 1);
        String copy = "/api/v2.0/projects/" + target + "/repositories/app/artifacts?from=" + source + "/app:1.0";

        Response refused = http.as(ADMIN).post(copy, null);
        JsonNode error = assertHarborError(refused, 403, "FORBIDDEN");
        assertThat(error.path("message").asString()).isEqualTo("quota exceeded: project '" + target + "' uses 0 of "
            + (image.storedSize() - 1) + " bytes, this copy needs " + image.storedSize() + " more");
        assertThat(http.as(ADMIN).getManifest(target + "/app", "1.0").status()).isEqualTo(404);
        assertThat(used(quota)).isZero();

        // with the layer already in the project, the copy needs only the config and the manifest
        http.as(ADMIN).pushBlob(target + "/other", image.layer());
        http.as(ADMIN).put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", image.storedSize()))).expect(200);
        assertThat(http.as(ADMIN).post(copy, null).status()).isEqualTo(201);
        assertThat(used(quota)).isEqualTo(image.storedSize());
    }

    @Test
    void concurrentPushesCannotTogetherExceedTheLimit() throws Exception {
        String p = unique("race");
        long quota = projectWithLimit(p, 5 * 1000 + 500);
        int pushes = 10;
        ExecutorService pool = Executors.newFixedThreadPool(pushes);
        List<Future<Response>> results = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        try {
            for (int i = 0; i < pushes; i++) {
                byte[] blob = random(1000, 100 + i);
                blobs.add(blob);
                String repository = p + "/r" + i;
                Callable<Response> push = () -> {
                    String location = http.as(ADMIN).startUpload(repository).expect(202).headerValue("Location");
                    return http.as(ADMIN).send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                        + TestImage.sha256(blob), blob, "Content-Type", "application/octet-stream");
                };
                results.add(pool.submit(push));
            }
            int created = 0;
            for (int i = 0; i < pushes; i++) {
                Response response = results.get(i).get();
                if (response.status() == 201) {
                    created++;
                } else {
                    assertQuotaDenied(response, p);
                    assertNothingStored(TestImage.sha256(blobs.get(i)));
                }
            }
            assertThat(created).isEqualTo(5);
            assertThat(used(quota)).isEqualTo(5000);
            assertNoUploadLeft(p);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWarningAndExceedEventsAreDeliveredToWebhooksInHarborsFormat() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String p = unique("hooked");
            long quota = projectWithLimit(p, 1000);
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("type", "http");
            target.put("address", receiver.url("/" + p).toString());
            target.put("payload_format", "Default");
            http.as(ADMIN).post("/api/v2.0/projects/" + p + "/webhook/policies", Map.of("name", "quota", "targets", List.of(target),
                "event_types", List.of("QUOTA_WARNING", "QUOTA_EXCEED"), "enabled", true)).expect(201);
            RegistryClient admin = http.as(ADMIN);
            admin.pushBlob(p + "/app", random(700, 7));
            assertThat(queued(p)).as("70 %: below the warning level of 85 %").containsExactly();
            String crossing = admin.pushBlob(p + "/app", random(150, 8));
            admin.pushBlob(p + "/app", random(50, 9));
            assertThat(used(quota)).isEqualTo(900);
            assertThat(queued(p)).as("one warning for the crossing, none for the push above it").containsExactly("QUOTA_WARNING");
            byte[] tooBig = random(200, 10);
            assertQuotaDenied(admin.tryPushBlob(p + "/app", tooBig), p);
            assertThat(queued(p)).containsExactly("QUOTA_WARNING", "QUOTA_EXCEED");

            // the dispatcher of every node sends them (every 2 s): wait for the receiver
            List<WebhookReceiver.Received> got = receiver.await("/" + p, 2, java.time.Duration.ofSeconds(30));
            JsonNode warning = json(got.stream().filter(r -> r.body().contains("QUOTA_WARNING")).findFirst().orElseThrow());
            assertThat(warning.path("type").asString()).isEqualTo("QUOTA_WARNING");
            assertThat(warning.path("operator").asString()).isEqualTo("admin");
            JsonNode data = warning.path("event_data");
            assertThat(data.path("resources").path(0).path("digest").asString()).isEqualTo(crossing);
            assertThat(data.path("repository").path("name").asString()).isEqualTo("app");
            assertThat(data.path("repository").path("namespace").asString()).isEqualTo(p);
            assertThat(data.path("repository").path("repo_full_name").asString()).isEqualTo(p + "/app");
            assertThat(data.path("repository").path("repo_type").asString()).isEqualTo("private");
            assertThat(data.path("custom_attributes").path("Details").asString())
                .isEqualTo("quota warning: project '" + p + "' uses 850 of 1000 bytes (85 %), at or above the warning level of 85 %");
            JsonNode exceed = json(got.stream().filter(r -> r.body().contains("QUOTA_EXCEED")).findFirst().orElseThrow());
            assertThat(exceed.path("event_data").path("resources").isMissingNode()).as("the digest was not known yet").isTrue();
            assertThat(exceed.path("event_data").path("custom_attributes").path("Details").asString())
                .isEqualTo("quota exceeded: project '" + p + "' uses 900 of 1000 bytes, this upload needs 200 more");
            assertThat(jdbc.queryForList("SELECT operation FROM audit_log WHERE project = ? AND resource_type = 'quota' ORDER BY id",
                String.class, p)).containsExactly("warning", "exceed");
        }
    }

    /** The event types of the webhook deliveries queued for {@code project}, in order. */
    private List<String> queued(String project) {
        return jdbc.queryForList("SELECT e.event_type FROM webhook_execution e JOIN webhook_policy w ON w.id = e.policy_id"
            + " JOIN project p ON p.id = w.project_id WHERE p.name = ? ORDER BY e.id", String.class, project);
    }

    private static JsonNode json(WebhookReceiver.Received received) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(received.body());
    }

    @Test
    void onlySystemAdministratorsListAndChangeQuotasAndMembersReadTheirProjectsInTheSummary() {
        String p = unique("roles");
        long quota = projectWithLimit(p, 2_000_000);
        Map<Integer, String> members = Map.of(1, unique("padmin"), 4, unique("maint"), 2, unique("dev"), 3, unique("guest"),
            5, unique("limited"));
        members.forEach((role, name) -> {
            createUser(name);
            addMember(p, name, role);
        });
        String outsider = unique("outsider");
        createUser(outsider);
        http.as(ADMIN).put("/api/v2.0/projects/" + p, Map.of("metadata", Map.of("public", "true"))).expect(200);

        assertThat(http.as(ADMIN).get("/api/v2.0/quotas/" + quota).status()).isEqualTo(200);
        List<String> everyone = new ArrayList<>(members.values());
        everyone.add(outsider);
        for (String name : everyone) {
            Credentials who = user(name);
            assertHarborError(http.as(who).get("/api/v2.0/quotas"), 403, "FORBIDDEN");
            assertHarborError(http.as(who).get("/api/v2.0/quotas/" + quota), 403, "FORBIDDEN");
            assertHarborError(http.as(who).put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", -1))), 403, "FORBIDDEN");
        }
        RegistryClient anonymous = http.anonymous();
        assertHarborError(anonymous.get("/api/v2.0/quotas"), 401, "UNAUTHORIZED");
        assertHarborError(anonymous.get("/api/v2.0/quotas/" + quota), 401, "UNAUTHORIZED");
        assertHarborError(anonymous.put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", -1))), 401, "UNAUTHORIZED");
        assertThat(used(quota)).as("unchanged by the refused calls").isZero();
        assertThat(quotaOf(http.as(ADMIN).get("/api/v2.0/projects/" + p).json().path("project_id").asLong())
            .path("hard").path("storage").asLong()).isEqualTo(2_000_000);

        // the summary: members but limited guests see the quota; visitors of the public project do not
        for (int role : List.of(1, 4, 2, 3)) {
            JsonNode summary = http.as(user(members.get(role))).get("/api/v2.0/projects/" + p + "/summary").expect(200).json();
            assertThat(summary.path("quota").path("hard").path("storage").asLong()).as("role %s", role).isEqualTo(2_000_000);
            assertThat(summary.path("quota").path("used").path("storage").asLong()).isZero();
        }
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + p + "/summary").json().has("quota")).isTrue();
        assertThat(http.as(user(members.get(5))).get("/api/v2.0/projects/" + p + "/summary").json().has("quota")).isFalse();
        assertThat(http.as(user(outsider)).get("/api/v2.0/projects/" + p + "/summary").json().has("quota")).isFalse();
        assertThat(anonymous.get("/api/v2.0/projects/" + p + "/summary").json().has("quota")).isFalse();

        // a user who is no system administrator cannot choose a limit: the project gets the default (none)
        String own = unique("own");
        Response created = http.as(user(outsider)).post("/api/v2.0/projects", Map.of("project_name", own, "storage_limit", 10));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(http.as(user(outsider)).get("/api/v2.0/projects/" + own + "/summary").json().path("quota").path("hard")
            .path("storage").asLong()).isEqualTo(-1);
        http.as(ADMIN).put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", 3_000_000))).expect(200);
        assertThat(http.as(user(members.get(2))).get("/api/v2.0/projects/" + p + "/summary").json().path("quota").path("hard")
            .path("storage").asLong()).isEqualTo(3_000_000);
        assertThat(jdbc.queryForList("SELECT detail FROM audit_log WHERE resource = ? AND resource_type = 'quota'"
            + " AND operation = 'update' AND username = 'admin'", String.class, p)).containsExactly("storage=3000000");
    }

    @Test
    void listsAreFilteredSortedAndPagedAsHarbors() {
        String small = unique("small");
        String large = unique("large");
        long smallQuota = projectWithLimit(small, 1_000_000);
        long largeQuota = projectWithLimit(large, 2_000_000);
        http.as(ADMIN).pushBlob(large + "/x", random(500, 11));
        http.as(ADMIN).pushBlob(small + "/x", random(400, 12));

        Response all = http.as(ADMIN).get("/api/v2.0/quotas?page_size=1&sort=-used.storage");
        assertThat(all.status()).isEqualTo(200);
        assertThat(Long.parseLong(all.headerValue("X-Total-Count"))).isGreaterThanOrEqualTo(2);
        assertThat(all.headerValue("Link")).contains("rel=\"next\"").contains("sort=-used.storage");
        JsonNode quota = http.as(ADMIN).get("/api/v2.0/quotas/" + largeQuota).json();
        assertThat(List.copyOf(quota.propertyNames())).containsExactly("id", "ref", "hard", "used", "creation_time", "update_time");
        assertThat(quota.path("ref").path("name").asString()).isEqualTo(large);
        assertThat(quota.path("ref").path("owner_name").asString()).isEqualTo("admin");
        assertThat(quota.path("used").path("storage").asLong()).isEqualTo(500);
        assertThat(quota.path("creation_time").asString()).endsWith("Z");

        List<Long> byHard = ids(http.as(ADMIN).get("/api/v2.0/quotas?page_size=100&sort=hard.storage"));
        assertThat(byHard.indexOf(smallQuota)).isLessThan(byHard.indexOf(largeQuota));
        List<Long> byUsedDescending = ids(http.as(ADMIN).get("/api/v2.0/quotas?page_size=100&sort=-used.storage"));
        assertThat(byUsedDescending.indexOf(largeQuota)).isLessThan(byUsedDescending.indexOf(smallQuota));
        assertThat(http.as(ADMIN).get("/api/v2.0/quotas?reference=artifact").json().size()).isZero();
        assertThat(http.as(ADMIN).get("/api/v2.0/quotas?reference_id=abc").json().size()).isZero();
    }

    private static List<Long> ids(Response list) {
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        return list.json().valueStream().map(n -> n.path("id").asLong()).toList();
    }

    @Test
    void badInputIsRefusedInHarborsErrorShapeAndChangesNothing() {
        String p = unique("bad");
        long quota = projectWithLimit(p, 4096);
        RegistryClient admin = http.as(ADMIN);
        for (Object body : List.of(Map.of("hard", Map.of("storage", -2)), Map.of("hard", Map.of("storage", 0)),
            Map.of("hard", Map.of("storage", "abc")), Map.of("hard", Map.of("storage", 1.5)), Map.of("hard", Map.of()),
            Map.of("hard", Map.of("count", 5)), Map.of("hard", Map.of("storage", 5, "count", 5)), Map.of("soft", 1),
            Map.of("hard", "storage"))) {
            assertHarborError(admin.put("/api/v2.0/quotas/" + quota, body), 400, "BAD_REQUEST");
        }
        assertHarborError(admin.send("PUT", "/api/v2.0/quotas/" + quota, "{\"hard\":".getBytes(StandardCharsets.UTF_8),
            "Content-Type", "application/json"), 400, "BAD_REQUEST");
        assertHarborError(admin.send("PUT", "/api/v2.0/quotas/" + quota, new byte[0], "Content-Type", "application/json"),
            400, "BAD_REQUEST");
        assertHarborError(admin.put("/api/v2.0/quotas/" + quota, Map.of("hard", Map.of("storage", new java.math.BigInteger("99999999999999999999")))),
            400, "BAD_REQUEST");
        assertThat(admin.get("/api/v2.0/quotas/" + quota).json().path("hard").path("storage").asLong()).isEqualTo(4096);
        assertHarborError(admin.put("/api/v2.0/quotas/999999999", Map.of("hard", Map.of("storage", 1))), 404, "NOT_FOUND");
        assertHarborError(admin.get("/api/v2.0/quotas/999999999"), 404, "NOT_FOUND");
        assertHarborError(admin.get("/api/v2.0/quotas/abc"), 400, "BAD_REQUEST");
        assertHarborError(admin.get("/api/v2.0/quotas?sort=name"), 400, "BAD_REQUEST");
        assertHarborError(admin.get("/api/v2.0/quotas?page_size=0"), 400, "BAD_REQUEST");

        String refused = unique("refused");
        assertHarborError(admin.post("/api/v2.0/projects", Map.of("project_name", refused, "storage_limit", -5)), 400, "BAD_REQUEST");
        assertHarborError(admin.post("/api/v2.0/projects", Map.of("project_name", refused, "storage_limit", "lots")), 400, "BAD_REQUEST");
        assertThat(admin.get("/api/v2.0/projects/" + refused).status()).as("nothing half-created").isEqualTo(404);
    }
}
