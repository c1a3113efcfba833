package io.wharf.replication.upstream;

import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator.Role;
import io.wharf.testkit.hub.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token flow against the emulated Docker Hub (UPSTREAMS.md §1.2, R19, R23). */
@Timeout(60)
class UpstreamAuthTest {

    private final UpstreamFixture fixture = new UpstreamFixture();
    private final TestImage image = TestImage.simple("auth");

    @BeforeEach
    void seed() {
        fixture.hub.push("library/nginx", "latest", image);
        fixture.hub.account("alice", "s3cret");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aHundredHeadsWithinTheTokenLifetimeCostOneTokenRequest() {
        UpstreamClient client = fixture.anonymous();
        for (int i = 0; i < 100; i++) {
            assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();
            fixture.clock.advance(Duration.ofSeconds(2));
        }

        assertThat(fixture.hub.count(Role.AUTH, "GET", "/token")).isEqualTo(1);
        assertThat(fixture.hub.count(Role.REGISTRY, "HEAD", "/v2/library/nginx/manifests/latest")).isEqualTo(101);
    }

    @Test
    void anExpiredTokenIsReplacedByANewOne() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        fixture.clock.advance(Duration.ofSeconds(250));
        client.headManifest("nginx", "latest", List.of());
        assertThat(fixture.hub.tokensIssued()).isEqualTo(1);

        fixture.clock.advance(Duration.ofSeconds(21)); // 271 s: within 30 s of the 300 s lifetime
        client.headManifest("nginx", "latest", List.of());

        assertThat(fixture.hub.tokensIssued()).isEqualTo(2);
    }

    @Test
    void aTokenTheUpstreamNoLongerAcceptsIsRefreshedAndTheRequestRetriedOnce() {
        UpstreamClient client = fixture.anonymous();
        client.headManifest("nginx", "latest", List.of());
        fixture.hub.revokeTokens();
        fixture.hub.clearRequests();

        assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();

        assertThat(fixture.hub.requests()).extracting(LoggedRequest::role, LoggedRequest::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(Role.REGISTRY, 401),
                org.assertj.core.groups.Tuple.tuple(Role.AUTH, 200),
                org.assertj.core.groups.Tuple.tuple(Role.REGISTRY, 200));
    }

    @Test
    void aRefusalWithAFreshTokenFailsWithoutLooping() {
        UpstreamClient client = fixture.anonymous();

        assertThatThrownBy(() -> client.getManifest("nobody/missing", "latest", List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.code()).isEqualTo("UNAUTHORIZED");
                assertThat(e.isUnauthorized()).isTrue();
            });
        assertThat(fixture.hub.count(Role.REGISTRY, "GET", "/v2/nobody/missing/manifests/latest")).isEqualTo(2);
        assertThat(fixture.hub.tokensIssued()).isEqualTo(1);
    }

    @Test
    void credentialsGoToATokenRealmOnTheRegistrysHost() {
        UpstreamClient client = fixture.as("alice", "s3cret");

        assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();

        assertThat(fixture.hub.requests(Role.AUTH)).singleElement()
            .satisfies(r -> assertThat(r.header("Authorization")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic ")));
    }

    @Test
    void credentialsNeverGoToATokenRealmOnAnotherHost() {
        fixture.hub.foreignRealm(true);
        UpstreamClient client = fixture.as("alice", "s3cret");

        assertThat(client.headManifest("nginx", "latest", List.of())).isPresent();

        assertThat(fixture.hub.requests(Role.AUTH)).isNotEmpty().noneMatch(LoggedRequest::hasAuthorization);
        assertThat(client.ping().message()).contains("credentials not sent");
    }

    @ParameterizedTest
    @CsvSource({
        "auth.docker.io, registry-1.docker.io, true",
        "registry-1.docker.io, registry-1.docker.io, true",
        "AUTH.example.com, registry.example.com, true",
        "evil.test, registry-1.docker.io, false",
        "docker.io.evil.test, registry-1.docker.io, false",
        "example.org, example.com, false",
        "127.0.0.1, 127.0.0.1, true",
        "localhost, 127.0.0.1, false",
        "10.0.0.2, 10.0.0.1, false",
        "localhost, localhost, true",
    })
    void credentialsFollowTheRegistrableDomain(String realmHost, String registryHost, boolean allowed) {
        assertThat(Authorizer.sameRegistrableDomain(realmHost, registryHost)).isEqualTo(allowed);
    }

    @Test
    void pingAcceptsGoodCredentials() {
        Ping ping = fixture.as("alice", "s3cret").ping();

        assertThat(ping.reachable()).isTrue();
        assertThat(ping.credentialsValid()).isTrue();
        assertThat(ping.message()).contains("credentials accepted");
    }

    @Test
    void pingReportsRejectedCredentials() {
        Ping ping = fixture.as("alice", "wrong").ping();

        assertThat(ping.reachable()).isTrue();
        assertThat(ping.credentialsValid()).isFalse();
        assertThat(ping.message()).contains("refused the credentials of alice");
    }

    @Test
    void pingReportsAnUnreachableRegistry() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        UpstreamClient client = fixture.clients().client(new UpstreamRegistry("gone", UpstreamRegistry.Kind.DOCKER_REGISTRY,
            URI.create("http://127.0.0.1:" + closedPort), null, null, null, false));

        Ping ping = client.ping();

        assertThat(ping.reachable()).isFalse();
        assertThat(fixture.pause.waits()).isEmpty();
    }

    @Test
    void wrongCredentialsFailRequestsWithTheTokenServersAnswer() {
        assertThatThrownBy(() -> fixture.as("alice", "wrong").headManifest("nginx", "latest", List.of()))
            .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isEqualTo(401))
            .hasMessageContaining("incorrect username or password");
    }

    @Test
    void theSecretNeverShowsInTheRegistrysDescription() {
        assertThat(new UpstreamRegistry("x", UpstreamRegistry.Kind.HARBOR, URI.create("https://h.example/"), null,
            "robot", "hunter2", false)).asString().doesNotContain("hunter2").contains("url=https://h.example,");
    }
}
