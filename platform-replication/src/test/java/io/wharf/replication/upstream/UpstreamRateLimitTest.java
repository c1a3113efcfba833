package io.wharf.replication.upstream;

import io.wharf.core.registry.digest.Digest;
import io.wharf.replication.upstream.UpstreamRateLimitedException.Kind;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pull quota, 429s and transient failures against the emulated Docker Hub (R20, R21, R31, R33). */
@Timeout(60)
class UpstreamRateLimitTest {

    private static final String MANIFEST = "/v2/library/nginx/manifests/latest";

    private final UpstreamFixture fixture = new UpstreamFixture();
    private final TestImage image = TestImage.simple("limits");

    @BeforeEach
    void seed() {
        fixture.hub.push("library/nginx", "latest", image);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void headReturnsTheDigestAndSpendsNoPullWhileGetDoes() {
        UpstreamClient client = fixture.anonymous();

        ManifestHead head = client.headManifest("nginx", "latest", List.of()).orElseThrow();

        assertThat(head.digest()).hasToString(image.manifestDigest());
        assertThat(head.mediaType()).isEqualTo(TestImage.OCI_MANIFEST);
        assertThat(head.size()).isEqualTo(image.manifestSize());
        RateLimit afterHead = client.rateLimit();
        assertThat(afterHead.limit()).isEqualTo(100);
        assertThat(afterHead.remaining()).isEqualTo(100);
        assertThat(afterHead.window()).isEqualTo(Duration.ofHours(6));
        assertThat(afterHead.source()).isEqualTo("127.0.0.1");
        assertThat(afterHead.observedAt()).isEqualTo(fixture.clock.instant());
        assertThat(fixture.hub.remainingPulls("ip:127.0.0.1")).isEqualTo(100);

        client.getManifest("nginx", "latest", List.of());

        assertThat(client.rateLimit().remaining()).isEqualTo(99);
        assertThat(fixture.hub.remainingPulls("ip:127.0.0.1")).isEqualTo(99);
        assertThat(fixture.counter("wharf.upstream.manifest.gets", "upstream", "hub")).isEqualTo(1);
        assertThat(fixture.counter("wharf.upstream.manifest.heads", "upstream", "hub")).isEqualTo(1);
        assertThat(fixture.meters.get("wharf.upstream.ratelimit.remaining").tag("upstream", "hub").gauge().value())
            .isEqualTo(99);
        assertThat(fixture.meters.get("wharf.upstream.ratelimit.limit").tag("upstream", "hub").gauge().value())
            .isEqualTo(100);
        assertThat(fixture.counter("wharf.upstream.requests", "upstream", "hub", "method", "HEAD", "kind", "manifest",
            "status", "200")).isEqualTo(1);
        assertThat(fixture.counter("wharf.upstream.requests", "upstream", "hub", "method", "GET", "kind", "token",
            "status", "200")).isEqualTo(1);
    }

    @Test
    void noRateLimitHeadersMeanUnlimited() {
        fixture.hub.unlimited();
        UpstreamClient client = fixture.anonymous();

        client.getManifest("nginx", "latest", List.of());

        assertThat(client.rateLimit().limited()).isFalse();
        assertThat(client.rateLimit().observedAt()).isEqualTo(fixture.clock.instant());
        assertThat(fixture.meters.get("wharf.upstream.ratelimit.remaining").gauge().value()).isNaN();
    }

    @Test
    void aSpentPullQuotaThrowsWithARetryTimeAtLeastFiveMinutesAwayWithoutRetrying() {
        fixture.properties(fixture.properties().withMaxRateLimitWait(Duration.ofMinutes(2)));
        fixture.hub.rateLimit(2, Duration.ofHours(6));
        UpstreamClient client = fixture.anonymous();
        client.getManifest("nginx", "latest", List.of());
        client.getManifest("nginx", "latest", List.of());
        Instant now = fixture.clock.instant();

        assertThatThrownBy(() -> client.getManifest("nginx", "latest", List.of()))
            .isInstanceOfSatisfying(UpstreamRateLimitedException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PULL_LIMIT);
                assertThat(e.code()).isEqualTo("TOOMANYREQUESTS");
                assertThat(e.retryAt()).isAfterOrEqualTo(now.plus(Duration.ofMinutes(5)));
            });
        assertThat(fixture.hub.count(Role.REGISTRY, "GET", MANIFEST)).isEqualTo(1 + 3); // the first 401, then 3 GETs
        assertThat(fixture.pause.waits()).isEmpty();
        assertThat(client.rateLimit().remaining()).isZero();
        assertThat(fixture.counter("wharf.upstream.rate.limited", "kind", "PULL_LIMIT")).isEqualTo(1);
    }

    @Test
    void aPullLimitIsNeverRetriedWithinFiveMinutes() {
        fixture.hub.rateLimit(1, Duration.ofHours(6));
        UpstreamClient client = fixture.anonymous();
        client.getManifest("nginx", "latest", List.of());

        assertThatThrownBy(() -> client.getManifest("nginx", "latest", List.of()))
            .isInstanceOf(UpstreamRateLimitedException.class);

        assertThat(fixture.pause.waits()).hasSize(fixture.properties().upstreamMaxAttempts() - 1)
            .allSatisfy(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void aPullLimitIsRetriedOnceTheWindowHasPassed() {
        fixture.hub.rateLimit(1, Duration.ofMinutes(4));
        UpstreamClient client = fixture.anonymous();
        client.getManifest("nginx", "latest", List.of());

        Manifest manifest = client.getManifest("nginx", "latest", List.of());

        assertThat(manifest.digest()).hasToString(image.manifestDigest());
        assertThat(fixture.pause.waits()).containsExactly(Duration.ofMinutes(5));
    }

    @Test
    void theAbuseLimitIsSatOutForItsRetryAfter() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        fixture.hub.abuseLimitNext(1);

        assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();

        assertThat(fixture.pause.waits()).containsExactly(Duration.ofSeconds(60));
        assertThat(fixture.hub.requests(Role.REGISTRY)).extracting(r -> r.status()).endsWith(429, 200);
        assertThat(fixture.counter("wharf.upstream.rate.limited", "kind", "ABUSE")).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackoff() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        fixture.hub.failNext(2);

        assertThat(client.getManifest("nginx", "latest", List.of()).bytes()).isEqualTo(image.manifest());

        assertThat(fixture.pause.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void serverErrorsFailAfterTheLastAttemptWithTheBodyRead() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        fixture.hub.failNext(10);

        assertThatThrownBy(() -> client.getManifest("nginx", "latest", List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(503))
            .hasMessageContaining("503 Service Temporarily Unavailable");
        assertThat(fixture.pause.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(8), Duration.ofSeconds(16));
    }

    @Test
    void droppedConnectionsAreRetried() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        // the JDK client itself retries once on a pooled connection that breaks; the second reset reaches us
        fixture.hub.resetNext(2);

        assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();

        assertThat(fixture.pause.waits()).first().isEqualTo(Duration.ofSeconds(2));
        assertThat(fixture.hub.requests(Role.REGISTRY)).filteredOn(r -> r.status() == 0).hasSize(2);
        assertThat(fixture.counter("wharf.upstream.requests", "status", "IO_ERROR")).isPositive();
    }

    @Test
    void anInteractiveClientMakesOneAttemptAndSitsOutNo429() {
        UpstreamClient client = fixture.interactive();
        client.headManifest("nginx", "latest", List.of());
        fixture.hub.clearRequests();

        fixture.hub.failNext(10);
        assertThatThrownBy(() -> client.headManifest("nginx", "latest", List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(503));
        fixture.hub.failNext(0).abuseLimitNext(10);
        assertThatThrownBy(() -> client.getManifest("nginx", "latest", List.of()))
            .isInstanceOf(UpstreamRateLimitedException.class);

        assertThat(fixture.pause.waits()).as("no retry, no 429 wait").isEmpty();
        assertThat(fixture.hub.requests(Role.REGISTRY)).hasSize(2);
        fixture.hub.abuseLimitNext(0);
        assertThat(fixture.anonymous().headManifest("nginx", "latest", List.of())).as("the same upstream, retried as usual")
            .isPresent();
    }

    @Test
    void anInteractiveClientWaitsForABusyUpstreamOnlyAsLongAsItsQueueAllows() throws Exception {
        UpstreamProperties defaults = fixture.properties();
        fixture.properties(new UpstreamProperties(1, defaults.upstreamConnectTimeout(), defaults.upstreamRequestTimeout(),
            defaults.upstreamMaxAttempts(), defaults.maxRateLimitWait(), defaults.blobResumeAttempts(),
            defaults.dockerHubApiUrl(), defaults.interactiveRequestTimeout(), Duration.ZERO));
        UpstreamClient client = fixture.interactive();
        String layer = image.layerDigest();

        try (InputStream held = fixture.anonymous().openBlob("library/nginx",
                Digest.parse(layer), image.layer().length)) {
            assertThatThrownBy(() -> client.headManifest("nginx", "latest", List.of()))
                .isInstanceOf(UpstreamException.class).hasMessageContaining("busy");
            assertThat(held.readAllBytes()).isEqualTo(image.layer());
        }
        assertThat(client.headManifest("nginx", "latest", List.of())).as("a free permit again").isPresent();
    }
}
