package io.wharf.api.security;

import io.wharf.api.v2.V2RouteFilter;
import io.wharf.core.PlatformProperties;
import io.wharf.core.iam.AuthProperties;
import io.wharf.scanner.trigger.ScanProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the token realm: the scanner registry URL for requests that arrived on it (as scanner
 * adapters send them), else the external URL, else the request's own scheme and {@code Host}; the
 * mirror's port always the latter.
 */
class RegistryChallengeTest {

    private static final String EXTERNAL = "https://registry.example.test";
    private static final String INTERNAL = "http://wharf-core:8080";

    @Test
    void aRequestOnTheRegistryUrlIsSentToItsRealm() {
        assertThat(challenge(EXTERNAL, INTERNAL + "/").baseUrl(request("wharf-core:8080"))).isEqualTo(INTERNAL);
        assertThat(challenge(EXTERNAL, INTERNAL).baseUrl(request("WHARF-Core:8080"))).as("host names ignore case").isEqualTo(INTERNAL);
        assertThat(challenge(null, INTERNAL).baseUrl(request("wharf-core:8080"))).isEqualTo(INTERNAL);
    }

    @Test
    void anyOtherHostKeepsTheExternalUrl() {
        RegistryChallenge challenge = challenge(EXTERNAL + "/", INTERNAL);
        assertThat(challenge.baseUrl(request("registry.example.test"))).isEqualTo(EXTERNAL);
        assertThat(challenge.baseUrl(request("wharf-core"))).as("another port").isEqualTo(EXTERNAL);
        assertThat(challenge.baseUrl(request("wharf-core:5000"))).isEqualTo(EXTERNAL);
        assertThat(challenge.baseUrl(request("wharf-core.other:8080"))).isEqualTo(EXTERNAL);
        assertThat(challenge.baseUrl(request("wharf-core:8080:1"))).as("malformed").isEqualTo(EXTERNAL);
    }

    @Test
    void withoutARegistryUrlNothingChanges() {
        assertThat(challenge(EXTERNAL, null).baseUrl(request("wharf-core:8080"))).isEqualTo(EXTERNAL);
        assertThat(challenge(EXTERNAL, " ").baseUrl(request("wharf-core:8080"))).isEqualTo(EXTERNAL);
        assertThat(challenge(null, null).baseUrl(request("wharf-core:8080"))).isEqualTo("http://wharf-core:8080");
    }

    @Test
    void theMirrorPortKeepsTheRequestsOwnAddress() {
        MockHttpServletRequest mirror = request("wharf-core:8080");
        mirror.setAttribute(V2RouteFilter.MIRROR_PORT_ATTRIBUTE, 8080);
        assertThat(challenge(EXTERNAL, INTERNAL).baseUrl(mirror)).isEqualTo("http://wharf-core:8080");
    }

    @Test
    void aMissingPortIsTheDefaultOfTheRegistryUrlsScheme() {
        assertThat(RegistryChallenge.arrivedOn("wharf.internal", "http://wharf.internal")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal:80", "http://wharf.internal")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal", "http://wharf.internal:80/")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal", "https://wharf.internal:443")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal:443", "https://wharf.internal")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal:80", "https://wharf.internal")).isFalse();
        assertThat(RegistryChallenge.arrivedOn("wharf.internal", "http://wharf.internal:5000")).isFalse();
    }

    @Test
    void addressesAreComparedAsHostAndPort() {
        assertThat(RegistryChallenge.arrivedOn("[::1]:5000", "http://[::1]:5000")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("[::1]", "http://[::1]:5000")).isFalse();
        assertThat(RegistryChallenge.arrivedOn("wharf_core:5000", "http://wharf_core:5000")).as("compose service names").isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf:5000", "http://user:pw@wharf:5000/v2")).isTrue();
        assertThat(RegistryChallenge.arrivedOn("wharf:5000", "wharf:5000")).as("no scheme").isFalse();
        assertThat(RegistryChallenge.arrivedOn("[::1:5000", "http://[::1]:5000")).isFalse();
    }

    private static MockHttpServletRequest request(String host) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v2/");
        request.addHeader("Host", host);
        return request;
    }

    private static RegistryChallenge challenge(@Nullable String externalUrl, @Nullable String registryUrl) {
        return new RegistryChallenge(new PlatformProperties(Path.of("data"), externalUrl, null, null),
            new AuthProperties(5, Duration.ofMinutes(15), Duration.ofMinutes(15), "wharf", "wharf-token-issuer",
                Duration.ofMinutes(30), Duration.ofDays(30), null),
            new ScanProperties(registryUrl, 2, 5, Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofMinutes(5),
                Duration.ofSeconds(5), ScanProperties.Unscanned.BLOCK));
    }
}
