package io.wharf.testkit.scanner;

import io.wharf.testkit.MutableClock;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.testkit.hub.LoggedRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull an adapter makes with a scan request's credential, against the Docker Hub emulator: the
 * Bearer challenge is answered with the given Basic credential, blobs are followed to the CDN; in
 * token mode the pull starts with an anonymous ping, as go-containerregistry's does.
 */
class RegistryPullerTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pullsTheManifestAndEveryBlobThroughTheTokenChallenge() {
        try (DockerHubEmulator hub = new DockerHubEmulator(new MutableClock())) {
            hub.account("scanner", "s3cret");
            TestImage image = TestImage.simple("puller");
            String digest = hub.push("team/app", "1.0", image);

            RegistryPuller.Pulled pulled = new RegistryPuller(hub.registryUrl(), basic("scanner", "s3cret")).pull("team/app", digest);

            assertTrue(pulled.manifests().containsKey(digest));
            assertEquals(image.blobs().size(), pulled.blobs().size());
            assertTrue(hub.requests().stream().anyMatch(r -> r.role() == DockerHubEmulator.Role.AUTH && r.hasAuthorization()),
                "a token was asked for with the credential");
            assertTrue(hub.requests().stream().filter(r -> r.role() == DockerHubEmulator.Role.CDN)
                .noneMatch(r -> r.hasAuthorization()), "the credential never went to the CDN");
        }
    }

    @Test
    void inTokenModeThePullPingsAnonymouslyAndUsesOnlyTheRealmsToken() {
        try (DockerHubEmulator hub = new DockerHubEmulator(new MutableClock())) {
            hub.account("scanner", "s3cret");
            TestImage image = TestImage.simple("puller-token");
            String digest = hub.push("team/app", "1.0", image);
            hub.clearRequests();

            RegistryPuller.Pulled pulled = new RegistryPuller(hub.registryUrl(), basic("scanner", "s3cret"), RegistryPuller.Mode.TOKEN)
                .pull("team/app", digest);

            assertEquals(image.blobs().size(), pulled.blobs().size());
            List<LoggedRequest> registry = hub.requests(DockerHubEmulator.Role.REGISTRY);
            assertEquals("/v2/", registry.get(0).path());
            assertFalse(registry.get(0).hasAuthorization(), "the ping is anonymous");
            assertTrue(registry.stream().skip(1).allMatch(r -> r.header("Authorization").orElse("").startsWith("Bearer ")),
                "every pull request carries the token, never the Basic credential");
            LoggedRequest token = hub.requests(DockerHubEmulator.Role.AUTH).get(0);
            assertTrue(token.hasAuthorization());
            assertTrue(token.query().contains("scope=repository%3Ateam%2Fapp%3Apull"), token.query());
        }
    }

    @Test
    void aWrongCredentialIsRefused() {
        try (DockerHubEmulator hub = new DockerHubEmulator(new MutableClock())) {
            hub.account("scanner", "s3cret");
            String digest = hub.push("team/app", "1.0", TestImage.simple("puller-denied"));

            RegistryPuller.PullFailed failed = assertThrows(RegistryPuller.PullFailed.class,
                () -> new RegistryPuller(hub.registryUrl(), basic("scanner", "wrong")).pull("team/app", digest));
            assertEquals(401, failed.status());
        }
    }
}
