package io.wharf.api.replication;

import io.wharf.api.WharfNodes;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several proxy-cache projects on one Wharf (R16), one of them chained through a second Wharf (R13,
 * R14): this Wharf's project {@code near} proxies the second Wharf, whose private project
 * {@code far} proxies the Docker Hub emulator; this Wharf also proxies the emulator directly and
 * hosts a project of its own. Every pull answers with the upstream's digests, byte for byte.
 */
@Import(ReplicationIntegrationTest.Beans.class)
class ProxyChainIT extends ReplicationIntegrationTest {

    static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    static final TestImage.Platform ARM64 = TestImage.Platform.of("linux", "arm64");
    static final DockerHubEmulator HUB = new DockerHubEmulator(CLOCK);

    static WharfNodes remote;
    /** The second Wharf's proxy project of the emulator (private). */
    static String far;

    @BeforeAll
    static void startRemote() throws IOException {
        HUB.unlimited();
        remote = WharfNodes.start(1, "--wharf.admin-password=" + ADMIN_PASSWORD);
        RegistryClient there = RegistryClient.forPort(remote.port(0)).as(ADMIN);
        Response endpoint = there.post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("hub"), "docker-hub", HUB.registryUrl().toString(), "", ""));
        assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
        far = unique("far");
        Response project = there.post("/api/v2.0/projects", Map.of("project_name", far,
            "metadata", Map.of("public", "false"), "registry_id", idFromLocation(endpoint)));
        assertThat(project.status()).as("%s", project).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (remote != null) {
            remote.close();
        }
        HUB.close();
    }

    /** A proxy-cache project of this Wharf bound to a new endpoint; returns its name. */
    String proxyProject(String type, String url, String username, String password) {
        Response endpoint = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique(type), type, url, username, password));
        assertThat(endpoint.status()).as("%s", endpoint).isEqualTo(201);
        String name = unique("proxy");
        Response created = http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", name,
            "metadata", Map.of("public", "true"), "registry_id", idFromLocation(endpoint)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return name;
    }

    static TestImage image(TestImage.Platform platform, long... layerSizes) {
        return TestImage.random(TestImage.Format.OCI, platform, ThreadLocalRandom.current().nextLong(), layerSizes);
    }

    RegistryClient anonymous() {
        return http.anonymous().withTokenFlow();
    }

    @Test
    void anIndexPulledThroughTwoChainedWharfsKeepsItsDigestAndEveryBlob() {
        String near = proxyProject("wharf", "http://127.0.0.1:" + remote.port(0), "admin", ADMIN_PASSWORD);
        String name = unique("chain");
        TestImage amd = image(AMD64, 3000, 5000);
        TestImage arm = image(ARM64, 4000);
        Map<TestImage.Platform, TestImage> platforms = new LinkedHashMap<>();
        platforms.put(AMD64, amd);
        platforms.put(ARM64, arm);
        TestImage.Blob index = HUB.pushIndex("library/" + name, "1", TestImage.Format.OCI, platforms);
        String repo = near + "/" + far + "/library/" + name;

        Response head = anonymous().headManifest(repo, "1", TestImage.OCI_INDEX, TestImage.OCI_MANIFEST);
        assertThat(head.status()).as("%s", head).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).contains(index.digest());
        Response got = anonymous().getManifest(repo, "1", TestImage.OCI_INDEX, TestImage.OCI_MANIFEST);
        assertThat(got.body()).as("the index byte for byte, under the upstream's digest (R14)").isEqualTo(index.content());

        // only amd64 is pulled; a HEAD on an uncached blob asks up the chain (R13)
        Response config = anonymous().send("HEAD", "/v2/" + repo + "/blobs/" + amd.configDigest());
        assertThat(config.status()).as("%s", config).isEqualTo(200);
        assertThat(config.header("Content-Length")).contains(String.valueOf(amd.config().length));
        Response child = anonymous().getManifest(repo, amd.manifestDigest(), TestImage.OCI_MANIFEST);
        assertThat(child.body()).isEqualTo(amd.manifest());
        for (byte[] blob : amd.blobs()) {
            Response read = anonymous().getBlob(repo, TestImage.Blob.of(blob).digest());
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.body()).isEqualTo(blob);
        }
        assertThat(anonymous().getManifest(repo, index.digest(), TestImage.OCI_INDEX).body())
            .as("the whole index by digest, though one platform was pulled").isEqualTo(index.content());

        // both Wharfs now serve it from their caches: the emulator is not asked again
        HUB.clearRequests();
        HUB.failNext(1000);
        try {
            for (byte[] blob : amd.blobs()) {
                assertThat(anonymous().getBlob(repo, TestImage.Blob.of(blob).digest()).body()).isEqualTo(blob);
            }
            assertThat(anonymous().getManifest(repo, amd.manifestDigest(), TestImage.OCI_MANIFEST).body()).isEqualTo(amd.manifest());
        } finally {
            HUB.failNext(0);
        }
        assertThat(HUB.requests(DockerHubEmulator.Role.REGISTRY)).isEmpty();
        RegistryClient there = RegistryClient.forPort(remote.port(0)).as(ADMIN).withTokenFlow();
        assertThat(there.getManifest(far + "/library/" + name, amd.manifestDigest(), TestImage.OCI_MANIFEST).body())
            .as("cached in the middle too").isEqualTo(amd.manifest());
    }

    @Test
    void proxyProjectsOfTwoUpstreamsAndAHostedProjectServeSideBySide() {
        String hub = proxyProject("docker-hub", HUB.registryUrl().toString(), "", "");
        String near = proxyProject("wharf", "http://127.0.0.1:" + remote.port(0), "admin", ADMIN_PASSWORD);
        String hosted = unique("hosted");
        http.as(ADMIN).createProject(hosted, true);

        String name = unique("side");
        TestImage upstream = image(AMD64, 2500);
        String digest = HUB.push("library/" + name, "1", upstream);
        TestImage local = image(AMD64, 1500);
        String localDigest = http.as(ADMIN).withTokenFlow().push(hosted + "/" + name, "1", local);

        Response direct = anonymous().getManifest(hub + "/" + name, "1", TestImage.OCI_MANIFEST);
        Response chained = anonymous().getManifest(near + "/" + far + "/library/" + name, "1", TestImage.OCI_MANIFEST);
        Response mine = anonymous().getManifest(hosted + "/" + name, "1", TestImage.OCI_MANIFEST);
        assertThat(direct.header("Docker-Content-Digest")).contains(digest);
        assertThat(chained.header("Docker-Content-Digest")).contains(digest);
        assertThat(mine.header("Docker-Content-Digest")).contains(localDigest);
        assertThat(anonymous().getBlob(hub + "/" + name, upstream.layerDigest()).body()).isEqualTo(upstream.layer());
        assertThat(anonymous().getBlob(near + "/" + far + "/library/" + name, upstream.layerDigest()).body())
            .isEqualTo(upstream.layer());

        for (String proxy : new String[] {hub, near}) {
            RegistryClient.Push refused = http.as(ADMIN).withTokenFlow().tryPush(proxy + "/" + name, "2", local);
            assertThat(refused.ok()).as("push into %s: %s", proxy, refused.response()).isFalse();
            assertThat(refused.response().status()).isEqualTo(403);
            assertThat(refused.response().errorCode()).isEqualTo("DENIED");
        }
        assertThat(anonymous().getManifest(hub + "/" + name, "2").status()).as("nothing half-written").isEqualTo(404);
    }
}
