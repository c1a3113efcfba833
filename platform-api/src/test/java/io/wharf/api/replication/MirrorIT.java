package io.wharf.api.replication;

import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transparent mirror (#9): with {@code wharf.mirror.project} set, the
 * Docker daemon's {@code registry-mirrors} requests ({@code /v2/library/nginx/...}, no project, a token
 * for {@code repository:library/nginx:pull}) are served from the proxy-cache project; local
 * repositories always win.
 */
@Import({ReplicationIntegrationTest.Beans.class, MirrorIntegrationTest.Hub.class})
class MirrorIT extends MirrorIntegrationTest {

    @Test
    void theDockerDaemonsMirrorRequestsAreServedFromTheProxyProject() {
        String name = "library/" + unique("nginx");
        TestImage image = TestImage.random(TestImage.Format.DOCKER, TestImage.Platform.of("linux", "amd64"), 700, 1500);
        String digest = HUB.push(name, "latest", image);
        RegistryClient anonymous = http.anonymous();

        // as the daemon does: ping, a token for the Docker Hub name, HEAD then GET, then the blobs
        Response ping = anonymous.get("/v2/");
        assertThat(ping.status()).isEqualTo(401);
        assertThat(ping.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer ");
        String token = anonymous.tokenFor("repository:" + name + ":pull");
        RegistryClient daemon = anonymous.as(Credentials.bearer(token));
        Response head = daemon.headManifest(name, "latest", TestImage.DOCKER_MANIFEST, TestImage.DOCKER_MANIFEST_LIST,
            TestImage.OCI_MANIFEST, TestImage.OCI_INDEX);
        assertThat(head.status()).as("%s", head).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).contains(digest);
        assertThat(head.header("Content-Length")).contains(String.valueOf(image.manifest().length));
        Response containerd = daemon.headManifest(name, "latest?ns=docker.io", TestImage.OCI_INDEX);
        assertThat(containerd.header("Docker-Content-Digest")).as("containerd's ?ns= is ignored: %s", containerd).contains(digest);
        Response manifest = daemon.getManifest(name, digest, TestImage.DOCKER_MANIFEST);
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(image.manifest());
        for (byte[] blob : image.blobs()) {
            Response read = daemon.getBlob(name, TestImage.Blob.of(blob).digest());
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.body()).isEqualTo(blob);
        }
        // it is cached in the proxy project under its own name too
        assertThat(http.as(ADMIN).headManifest(MIRROR + "/" + name, "latest").header("Docker-Content-Digest")).contains(digest);
    }

    @Test
    void localRepositoriesWinAndPushesNeverFallThrough() {
        String local = "library/" + unique("own");
        TestImage mine = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 710, 300);
        String localDigest = http.as(ADMIN).withTokenFlow().push(local, "1", mine);
        HUB.push(local, "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 711, 300));
        Response served = http.as(ADMIN).withTokenFlow().headManifest(local, "1");
        assertThat(served.header("Docker-Content-Digest")).as("the local repository wins").contains(localDigest);

        String pushed = "library/" + unique("x");
        var access = RegistryClient.jwtPayload(http.anonymous().tokenFor("repository:" + pushed + ":pull,push")).path("access");
        assertThat(access.size()).as("a push scope never falls through to the mirror: %s", access).isEqualTo(1);
        assertThat(access.get(0).path("name").asString()).isEqualTo(pushed);
        var pullOnly = RegistryClient.jwtPayload(http.anonymous().tokenFor("repository:" + pushed + ":pull")).path("access");
        assertThat(pullOnly.valueStream().map(a -> a.path("name").asString()).toList())
            .as("a pull scope is granted under both names").containsExactly(pushed, MIRROR + "/" + pushed);
    }

    @Test
    void theDaemonsDockerHubLoginGetsWhatAnyoneMayPullAndWharfCredentialsStillCount() {
        String name = "library/" + unique("hublogin");
        TestImage image = TestImage.random(TestImage.Format.DOCKER, TestImage.Platform.of("linux", "amd64"), 720, 900);
        String digest = HUB.push(name, "latest", image);

        // the classic daemon sends its Docker Hub login to the mirror's token endpoint (R3)
        Response foreign = http.withBasic("hub-user", "hub-password").token("repository:" + name + ":pull");
        assertThat(foreign.status()).as("never a 401 for a pull from a public proxy project: %s", foreign).isEqualTo(200);
        String token = foreign.json().path("token").asString();
        assertThat(RegistryClient.granted(token, "repository", name)).containsExactly("pull");
        assertThat(RegistryClient.jwtPayload(token).path("sub").asString()).as("anonymous").isEmpty();
        RegistryClient daemon = http.anonymous().as(Credentials.bearer(token));
        assertThat(daemon.getManifest(name, "latest", TestImage.DOCKER_MANIFEST).header("Docker-Content-Digest")).contains(digest);

        // Wharf's own credentials are still checked and count
        String admin = http.as(ADMIN).tokenFor("repository:" + name + ":pull");
        assertThat(RegistryClient.jwtPayload(admin).path("sub").asString()).isEqualTo("admin");
        // anything but pulls from proxy projects: bad credentials are refused as always
        assertThat(http.withBasic("hub-user", "hub-password").token("repository:" + name + ":pull,push").status()).isEqualTo(401);
        assertThat(http.withBasic("hub-user", "hub-password").token("repository:" + MIRROR + "/" + name + ":pull").status())
            .as("the proxy project's own name").isEqualTo(200);
        String local = "library/" + unique("hosted");
        http.as(ADMIN).withTokenFlow().push(local, "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 721, 100));
        assertThat(http.withBasic("hub-user", "hub-password").token("repository:" + local + ":pull").status())
            .as("a hosted repository").isEqualTo(401);
    }

    @Test
    void everyPathShapeOfTheClientsServesTheSameDigest() {
        String short_ = unique("shapes");
        String name = "library/" + short_;
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 730, 700);
        String digest = HUB.push(name, "1", image);
        RegistryClient admin = http.as(ADMIN);
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("/v2/" + name + "/manifests/1", "Docker registry-mirrors at the root");
        shapes.put("/v2/" + name + "/manifests/1?ns=docker.io", "containerd at the root");
        shapes.put("/v2/" + MIRROR + "/" + name + "/manifests/1?ns=docker.io", "containerd, override_path, the project's path");
        shapes.put("/v2/" + MIRROR + "/" + name + "/manifests/1", "podman's mirror location with the project");
        shapes.put("/" + MIRROR + "/v2/" + name + "/manifests/1?ns=docker.io", "Docker's containerd store, a mirror URL with the project as path");
        shapes.put("/v2/docker.io/" + name + "/manifests/1", "the registry's host in the path");
        shapes.put("/v2/" + MIRROR + "/" + short_ + "/manifests/1", "a Docker Hub single name in the proxy project");
        shapes.forEach((path, client) -> {
            Response head = admin.send("HEAD", path, null, "Accept", TestImage.OCI_MANIFEST);
            assertThat(head.status()).as("%s: %s %s", client, path, head).isEqualTo(200);
            assertThat(head.header("Docker-Content-Digest")).as(client).contains(digest);
            assertThat(head.header("Content-Length")).as(client).contains(String.valueOf(image.manifest().length));
            assertThat(head.header("Content-Type")).as(client).contains(TestImage.OCI_MANIFEST);
        });
        Response ping = http.anonymous().get("/" + MIRROR + "/v2/");
        assertThat(ping.status()).as("the prefixed shape's ping").isEqualTo(401);
        assertThat(http.anonymous().get("/notaproxy/v2/").status()).as("only proxy projects prefix /v2").isNotIn(200, 401);
    }

    @Test
    void namesInAnotherProxyProjectAreNeverReroutedToTheMirrorProject() {
        String other = unique("otherproxy");
        createProxyProject(other, HUB);
        String name = "library/" + unique("own");
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 750, 400);
        String digest = HUB.push(name, "1", image);
        String repository = other + "/" + name;

        // not cached yet, so Wharf does not hold the repository: still the other project's, never MIRROR/<other>/...
        var access = RegistryClient.jwtPayload(http.anonymous().tokenFor("repository:" + repository + ":pull")).path("access");
        assertThat(access.valueStream().map(a -> a.path("name").asString()).toList())
            .as("granted under its own name only").containsExactly(repository);
        RegistryClient anonymous = http.anonymous().withTokenFlow();
        Response head = anonymous.headManifest(repository, "1", TestImage.OCI_MANIFEST);
        assertThat(head.status()).as("served by its own upstream binding: %s", head).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).contains(digest);
        Response blob = anonymous.getBlob(repository, image.configDigest());
        assertThat(blob.status()).as("%s", blob).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(image.config());
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + MIRROR + "/repositories?page_size=100").text())
            .as("nothing cached in the mirror project under the other project's name").doesNotContain(other);
    }

    @Test
    void onTheMirrorPortEveryNameIsTheMirrorsEvenWhereWharfHoldsOne() {
        String name = "library/" + unique("porty");
        TestImage hosted = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 740, 300);
        String hostedDigest = http.as(ADMIN).withTokenFlow().push(name, "1", hosted);
        String upstreamDigest = HUB.push(name, "1", TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 741, 300));

        RegistryClient main = http.anonymous().withTokenFlow();
        RegistryClient mirrorPort = RegistryClient.forPort(MIRROR_PORT).anonymous();
        Response challenge = mirrorPort.head("/v2/" + name + "/manifests/1");
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.header("WWW-Authenticate").orElseThrow()).as("the mirror port's own token endpoint")
            .contains(":" + MIRROR_PORT + "/service/token");
        Response fromMirror = mirrorPort.withTokenFlow().headManifest(name, "1", TestImage.OCI_MANIFEST);
        assertThat(fromMirror.status()).as("%s", fromMirror).isEqualTo(200);
        assertThat(fromMirror.header("Docker-Content-Digest")).as("the upstream's, on the mirror port").contains(upstreamDigest);
        assertThat(http.as(ADMIN).withTokenFlow().headManifest(name, "1").header("Docker-Content-Digest"))
            .as("the hosted one, on the main port").contains(hostedDigest);
        assertThat(main.headManifest(name, "1").header("Docker-Content-Digest")).as("anonymously too").contains(hostedDigest);

        Response push = RegistryClient.forPort(MIRROR_PORT).as(ADMIN).withTokenFlow().startUpload(name);
        assertThat(push.status()).as("nothing is pushed through the mirror port: %s", push).isIn(401, 403);
    }
}
