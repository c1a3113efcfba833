package io.wharf.api.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.artifact.PullRecorder;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.IdleManifest;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.replication.proxy.ProxyExpiry;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Expiry of proxy-cache projects (issue #9, R15): a cached manifest nobody pulled for
 * {@code wharf.proxy.expire-after} is deleted with its tags and fetched again from the upstream on the
 * next pull; one pulled recently stays, so do an index's platform manifests while the index stays and
 * the subject of a referrer that stays, and local projects are never touched; a pull recorded between
 * the selection and the delete keeps the manifest. The expiry is run by calling it; that Quartz holds
 * its repeating trigger is checked apart. Time is the shared clock, moved by days.
 */
@Import({ReplicationIntegrationTest.Beans.class, ProxyExpiryIT.Metrics.class})
class ProxyExpiryIT extends ReplicationIntegrationTest {

    static final DockerHubEmulator HUB = new DockerHubEmulator(CLOCK);
    static final Duration EXPIRE_AFTER = Duration.ofDays(7);
    static final Duration PAST_EXPIRY = EXPIRE_AFTER.plusDays(1);
    static final String SIGNATURE = "application/vnd.example.signature";

    @TestConfiguration(proxyBeanMethods = false)
    static class Metrics {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.proxy.expire-after", () -> "7d");
        registry.add("wharf.proxy.expiry-interval", () -> "2h");
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Autowired
    ProxyExpiry expiry;

    @Autowired
    PullRecorder pulls;

    @Autowired
    RegistryService registry;

    @Autowired
    ManifestStore manifests;

    @Autowired
    Scheduler scheduler;

    @Autowired
    MeterRegistry meters;

    String project;

    @BeforeEach
    void proxyProject() {
        HUB.unlimited();
        Response endpoint = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("hub"), "docker-hub", HUB.registryUrl().toString(), "", ""));
        assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
        project = unique("proxy");
        Response created = http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", project,
            "metadata", Map.of("public", "true"), "registry_id", idFromLocation(endpoint)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    @Test
    void aManifestNotPulledForLongGoesWithItsTagAndTheNextPullFetchesItAgain() {
        String old = push("old", 700);
        String fresh = push("fresh", 701);
        pull("old", "1.0", TestImage.OCI_MANIFEST);
        pull("fresh", "1.0", TestImage.OCI_MANIFEST);

        CLOCK.advance(PAST_EXPIRY);
        pull("fresh", "1.0", TestImage.OCI_MANIFEST);
        Map<String, Integer> expired = expiry.run();

        assertThat(expired).as("this project's share of the run").containsEntry(project, 1);
        assertThat(artifact("old", old)).as("the idle manifest is gone").isEqualTo(404);
        assertThat(http.as(ADMIN).tags(repo("old")).json().path("tags").valueStream().toList())
            .as("with its tag").isEmpty();
        assertThat(artifact("fresh", fresh)).as("pulled within expire-after: kept").isEqualTo(200);
        assertThat(http.as(ADMIN).tags(repo("fresh")).json().path("tags").valueStream().map(t -> t.asString()))
            .containsExactly("1.0");
        assertThat(expiredCount()).isEqualTo(1.0);

        HUB.clearRequests();
        Response again = pull("old", "1.0", TestImage.OCI_MANIFEST);
        assertThat(again.header("Docker-Content-Digest")).contains(old);
        assertThat(HUB.count(DockerHubEmulator.Role.REGISTRY, "GET", ".*/manifests/.*"))
            .as("fetched again from the upstream").isEqualTo(1);
        assertThat(artifact("old", old)).isEqualTo(200);
    }

    @Test
    void anIndexKeepsItsPlatformManifestsWhileItStaysAndTheyGoWithItInOneRun() {
        TestImage amd64 = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 710, 300);
        TestImage arm64 = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "arm64"), 711, 300);
        Map<TestImage.Platform, TestImage> images = new LinkedHashMap<>();
        images.put(TestImage.Platform.of("linux", "amd64"), amd64);
        images.put(TestImage.Platform.of("linux", "arm64"), arm64);
        TestImage.Blob index = HUB.pushIndex("library/multi" + project, "1", TestImage.Format.OCI, images);
        String indexDigest = TestImage.sha256(index.content());
        pull("multi", "1", TestImage.OCI_INDEX);
        pull("multi", amd64.manifestDigest(), TestImage.OCI_MANIFEST);

        CLOCK.advance(PAST_EXPIRY);
        pull("multi", "1", TestImage.OCI_INDEX); // the index only
        expiry.run();

        assertThat(artifact("multi", indexDigest)).isEqualTo(200);
        assertThat(artifact("multi", amd64.manifestDigest())).as("idle, but a child of a kept index").isEqualTo(200);

        CLOCK.advance(PAST_EXPIRY);
        assertThat(expiry.run()).as("the index, then its child, in one run").containsEntry(project, 2);
        assertThat(artifact("multi", indexDigest)).isEqualTo(404);
        assertThat(artifact("multi", amd64.manifestDigest())).isEqualTo(404);
    }

    @Test
    void aReferrerThatStaysKeepsItsSubject() {
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 720, 300);
        String upstream = "library/signed" + project;
        String subject = HUB.push(upstream, "1", image);
        byte[] payload = ("signature of " + subject).getBytes(StandardCharsets.UTF_8);
        HUB.putBlob(upstream, payload);
        HUB.putBlob(upstream, "{}".getBytes(StandardCharsets.UTF_8));
        TestImage.Blob signature = TestImage.artifact(SIGNATURE, image.descriptor(), Map.of(),
            new TestImage.Descriptor(SIGNATURE, TestImage.sha256(payload), payload.length));
        String referrer = HUB.putManifest(upstream, signature.digest(), TestImage.OCI_MANIFEST, signature.content());
        pull("signed", "1", TestImage.OCI_MANIFEST);
        pull("signed", referrer, TestImage.OCI_MANIFEST);

        CLOCK.advance(PAST_EXPIRY);
        pull("signed", referrer, TestImage.OCI_MANIFEST); // the referrer only, from the cache
        expiry.run();

        assertThat(artifact("signed", referrer)).isEqualTo(200);
        assertThat(artifact("signed", subject)).as("idle, but the subject of a kept referrer").isEqualTo(200);
        assertThat(http.as(ADMIN).tags(repo("signed")).json().path("tags").valueStream().map(t -> t.asString()))
            .containsExactly("1");
    }

    @Test
    void aLocalProjectIsNeverExpired() {
        String local = unique("local");
        createProject(local, false, ADMIN);
        String digest = http.as(ADMIN).push(local + "/app", "1", TestImage.random(TestImage.Format.OCI,
            TestImage.Platform.of("linux", "amd64"), 730, 300));

        CLOCK.advance(PAST_EXPIRY);
        assertThat(expiry.run()).doesNotContainKey(local);

        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + local + "/repositories/app/artifacts/" + digest).status())
            .isEqualTo(200);
        assertThat(http.as(ADMIN).getManifest(local + "/app", "1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
    }

    @Test
    void aPullRecordedBetweenTheSelectionAndTheDeleteKeepsTheManifest() {
        String digest = push("raced", 740);
        pull("raced", "1.0", TestImage.OCI_MANIFEST);
        CLOCK.advance(PAST_EXPIRY);
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(CLOCK.instant().minus(EXPIRE_AFTER), ZoneOffset.UTC);
        RepositoryName repository = RepositoryName.of(repo("raced"));
        assertThat(manifests.idleCached(cutoff, 0, 100_000)).extracting(IdleManifest::repository, m -> m.digest().toString())
            .as("selected").contains(tuple(repository, digest));

        pull("raced", digest, TestImage.OCI_MANIFEST);
        Caller system = Caller.of(Principal.system("test"), null);

        assertThat(registry.expireManifest(system, repository, Digest.parse(digest), cutoff)).isFalse();
        assertThat(artifact("raced", digest)).isEqualTo(200);
        assertThatThrownBy(() -> registry.expireManifest(Caller.of(Principal.ANONYMOUS, null), repository,
            Digest.parse(digest), OffsetDateTime.ofInstant(CLOCK.instant(), ZoneOffset.UTC)))
            .as("Wharf's own use only").isInstanceOf(PlatformException.class);
    }

    @Test
    void quartzHoldsOneRepeatingTriggerAtTheConfiguredInterval() throws Exception {
        Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey("proxy-expiry", "proxy-expiry"));

        assertThat(trigger).isInstanceOf(SimpleTrigger.class);
        assertThat(((SimpleTrigger) trigger).getRepeatInterval()).isEqualTo(Duration.ofHours(2).toMillis());
        assertThat(((SimpleTrigger) trigger).getRepeatCount()).isEqualTo(SimpleTrigger.REPEAT_INDEFINITELY);
        assertThat(scheduler.getJobDetail(JobKey.jobKey("proxy-expiry", "proxy-expiry")).getJobClass().getSimpleName())
            .isEqualTo("ProxyExpiryJob");
    }

    /** Pushes a random image upstream as {@code library/<name><project>:1.0}; returns its digest. */
    private String push(String name, long seed) {
        return HUB.push("library/" + name + project, "1.0",
            TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), seed, 300));
    }

    /** Pulls {@code <project>/<name>:reference} as docker does, and records the pull at once. */
    private Response pull(String name, String reference, String accept) {
        Response pulled = http.anonymous().withTokenFlow().getManifest(repo(name), reference, accept);
        assertThat(pulled.status()).as("%s", pulled).isEqualTo(200);
        pulls.flush();
        return pulled;
    }

    /** The local name of upstream {@code library/<name><project>}: Docker Hub single names get {@code library/}. */
    private String repo(String name) {
        return project + "/" + name + project;
    }

    /** The status of the Harbor API's artifact {@code digest} of {@code <project>/<name>}. */
    private int artifact(String name, String digest) {
        return http.as(ADMIN).get("/api/v2.0/projects/" + project + "/repositories/" + name + project + "/artifacts/" + digest)
            .status();
    }

    private double expiredCount() {
        Counter counter = meters.find("wharf.proxy.expired").tag("project", project).counter();
        return counter == null ? 0 : counter.count();
    }
}
