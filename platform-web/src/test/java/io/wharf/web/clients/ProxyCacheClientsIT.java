package io.wharf.web.clients;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clients pulling Docker Hub images through Wharf (issue #9, R35), with the Docker Hub emulator as the upstream:
 * <ul>
 *   <li>skopeo through a proxy-cache project ({@code docker://<wharf>/hub/library/<name>:<tag>}), cold and then warm
 *       while the upstream answers 503, answers 429 or is gone;</li>
 *   <li>podman with a {@code registries.conf} whose {@code docker.io} mirror is {@code <wharf>/hub}, and skopeo with
 *       the same file ({@code --registries-conf}), which also checks the root-mirror variant;</li>
 *   <li>skopeo against the root mirror path ({@code wharf.mirror.project}) and against {@code wharf.mirror.port}.</li>
 * </ul>
 * Every pull is checked against the emulator's digests: the manifest and every blob. Tags are revalidated on every
 * pull ({@code wharf.proxy.tag-ttl=0s}), so a warm pull really asks the failing upstream (once: a waiting client is
 * never held for the backoff that replication uses).
 * podman runs as root with private vfs storage (no container is run, so no runtime, user namespace or daemon is
 * needed); it is skipped with the reason when that storage cannot initialise. A missing skopeo or podman skips,
 * except with {@code CI=true}, where it fails.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyCacheClientsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final String PROXY = "hub";
    private static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());
    private static final int MIRROR_PORT = freePort();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        Path data = Files.createTempDirectory("wharf-proxy-clients-");
        registry.add("wharf.data-dir", data::toString);
        registry.add("wharf.admin-password", () -> TestAccounts.ADMIN_PASSWORD);
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.proxy.tag-ttl", () -> "0s");
        registry.add("wharf.mirror.project", () -> PROXY);
        registry.add("wharf.mirror.port", () -> MIRROR_PORT);
    }

    /** podman's run roots, outside the JUnit temp dirs because their paths must stay short. */
    private static final List<Path> SHORT_DIRS = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stopHubAndDeleteRunRoots() throws IOException {
        HUB.close();
        for (Path root : SHORT_DIRS) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @LocalServerPort
    int port;

    private RegistryClient wharf;

    @BeforeAll
    void proxyProject() {
        wharf = RegistryClient.forPort(port).asAdmin();
        proxyProjectOn(HUB, PROXY);
    }

    @Test
    void skopeoCopiesThroughTheProxyProjectWithTheEmulatorsDigests(@TempDir Path work) {
        Cli skopeo = Cli.skopeo(work);
        String name = "library/" + unique("cold");
        TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 801, 3000, 5000, 700);
        String digest = HUB.push(name, "1.0", image);
        HUB.clearRequests();

        Path layout = copy(skopeo, wharf.host() + "/" + PROXY + "/" + name + ":1.0", work.resolve("cold"));

        assertLayout(layout, digest, image);
        assertThat(HUB.count(DockerHubEmulator.Role.CDN, "GET", ".*")).as("cold: every blob came from the upstream")
            .isEqualTo(image.blobs().size());
    }

    @Test
    void aWarmPullGivesTheSameDigestsWhileTheUpstreamAnswers503(@TempDir Path work) {
        warmPullWhileTheUpstreamFails(work, "503", hub -> hub.failNext(1_000));
    }

    @Test
    void aWarmPullGivesTheSameDigestsWhileTheUpstreamAnswers429(@TempDir Path work) {
        warmPullWhileTheUpstreamFails(work, "429", hub -> hub.abuseLimitNext(1_000));
    }

    @Test
    void aWarmPullGivesTheSameDigestsWhenTheUpstreamIsGone(@TempDir Path work) {
        warmPullWhileTheUpstreamFails(work, "gone", DockerHubEmulator::close);
    }

    @Test
    void podmanPullsDockerHubNamesThroughTheMirrorInRegistriesConf(@TempDir Path work) {
        String name = "library/" + unique("podman");
        TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 803, 2500, 1200);
        String digest = HUB.push(name, "2.1", image);
        Path registriesConf = registriesConf(work, "127.0.0.1:" + port + "/" + PROXY);
        Cli podman = podman(work, registriesConf);

        podman.ok(TIMEOUT, "pull", "docker.io/" + name + ":2.1");

        Cli.Result pulled = podman.ok(TIMEOUT, "image", "inspect", "--format", "{{.Digest}} {{.Id}}", "docker.io/" + name + ":2.1");
        assertThat(pulled.stdout().strip()).as(pulled.describe())
            .isEqualTo(digest + " " + image.configDigest().substring("sha256:".length()));
        assertThat(wharf.headManifest(PROXY + "/" + name, "2.1").header("Docker-Content-Digest"))
            .as("served by the proxy project (and cached there), not by docker.io").contains(digest);
    }

    @Test
    void skopeoWithTheSameRegistriesConfUsesTheProjectMirrorAndTheRootMirror(@TempDir Path work) {
        String name = "library/" + unique("regconf");
        TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 804, 1800);
        String digest = HUB.push(name, "3", image);
        for (String location : List.of("127.0.0.1:" + port + "/" + PROXY, "127.0.0.1:" + MIRROR_PORT)) {
            Path dir = work.resolve(location.replaceAll("[^0-9a-z]", "-"));
            Cli skopeo = Cli.skopeo(dir);
            Path registriesConf = registriesConf(dir, location);
            Path layout = dir.resolve("layout");
            skopeo.ok(TIMEOUT, "--registries-conf", registriesConf.toString(), "copy", "--preserve-digests",
                "docker://docker.io/" + name + ":3", "oci:" + layout + ":3");
            assertLayout(layout, digest, image);
        }
    }

    @Test
    void skopeoPullsDockerHubNamesFromTheRootMirrorPathAndTheMirrorPort(@TempDir Path work) {
        Cli skopeo = Cli.skopeo(work);
        String name = "library/" + unique("root");
        TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 805, 2200, 900);
        String digest = HUB.push(name, "latest", image);

        // wharf.mirror.project: a name Wharf does not hold falls through to the proxy project
        assertLayout(copy(skopeo, wharf.host() + "/" + name + ":latest", work.resolve("root")), digest, image);
        // wharf.mirror.port: every name is the mirror project's
        assertLayout(copy(skopeo, "127.0.0.1:" + MIRROR_PORT + "/" + name + ":latest", work.resolve("port")), digest, image);
        assertThat(wharf.headManifest(PROXY + "/" + name, "latest").header("Docker-Content-Digest")).contains(digest);
    }

    // -----------------------------------------------------------------------------------------------------------

    /**
     * A cold skopeo pull through a proxy project of its own upstream, then {@code breakUpstream}, then a warm pull (the tag
     * revalidated against the broken upstream) that must give the same digests.
     */
    private void warmPullWhileTheUpstreamFails(Path work, String how, Consumer<DockerHubEmulator> breakUpstream) {
        Cli skopeo = Cli.skopeo(work);
        DockerHubEmulator upstream = new DockerHubEmulator(Clock.systemUTC());
        try {
            String project = unique("warm");
            proxyProjectOn(upstream, project);
            String name = "library/" + unique("warm");
            TestImage image = TestImage.random(TestImage.Format.OCI, AMD64, 802, 4000, 1500);
            String digest = upstream.push(name, "1.0", image);
            String reference = wharf.host() + "/" + project + "/" + name + ":1.0";
            assertLayout(copy(skopeo, reference, work.resolve("cold")), digest, image);

            upstream.clearRequests();
            breakUpstream.accept(upstream);
            assertLayout(copy(skopeo, reference, work.resolve("warm")), digest, image);
            if (!how.equals("gone")) {
                assertThat(upstream.count(DockerHubEmulator.Role.REGISTRY, "HEAD", ".*/manifests/1\\.0"))
                    .as("the tag was revalidated against the failing upstream").isPositive();
                assertThat(upstream.count(DockerHubEmulator.Role.CDN, "GET", ".*")).as("no blob downloaded again").isZero();
            }
        } finally {
            if (!how.equals("gone")) {
                upstream.close();
            }
        }
    }

    private void proxyProjectOn(DockerHubEmulator upstream, String project) {
        long registry = RegistryClient.idFromLocation(wharf.post("/api/v2.0/registries", Map.of("name", unique("hub"),
            "type", "docker-hub", "url", upstream.registryUrl().toString())).expect(201));
        Response created = wharf.post("/api/v2.0/projects", Map.of("project_name", project,
            "metadata", Map.of("public", "true"), "registry_id", registry));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    /** {@code skopeo copy --preserve-digests docker://<reference> oci:<layout>}, anonymously over http; returns the layout. */
    private static Path copy(Cli skopeo, String reference, Path layout) {
        skopeo.ok(TIMEOUT, "copy", "--preserve-digests", "--src-tls-verify=false", "docker://" + reference,
            "oci:" + layout + ":pulled");
        return layout;
    }

    /** The layout holds the emulator's manifest (by digest) and every blob, each hashing to its digest. */
    private static void assertLayout(Path layout, String manifestDigest, TestImage image) {
        try {
            JsonNode index = JSON.readTree(Files.readString(layout.resolve("index.json")));
            assertThat(index.path("manifests").get(0).path("digest").asString()).as("manifest digest").isEqualTo(manifestDigest);
            assertThat(blob(layout, manifestDigest)).isEqualTo(image.manifest());
            for (byte[] blob : image.blobs()) {
                String digest = TestImage.sha256(blob);
                assertThat(TestImage.sha256(blob(layout, digest))).as("blob %s", digest).isEqualTo(digest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length())));
    }

    /** The podman/CRI-O mirror configuration the README documents, with {@code location} as the mirror. */
    private static Path registriesConf(Path work, String location) {
        return write(work.resolve("registries.conf"), """
            unqualified-search-registries = ["docker.io"]

            [[registry]]
            prefix = "docker.io"
            location = "docker.io"

            [[registry.mirror]]
            location = "%s"
            insecure = true
            """.formatted(location));
    }

    /**
     * podman as root with private vfs storage, cgroupfs, file events and the given {@code registries.conf}
     * (CONTAINERS_REGISTRIES_CONF), so nothing under /etc/containers or /var/lib/containers is read or written.
     */
    private static Cli podman(Path work, Path registriesConf) {
        Cli.require(Cli.works(PODMAN), "podman is not installed at " + PODMAN);
        Path storage = work.resolve("storage");
        // podman refuses a runroot longer than 50 characters (its sockets live there)
        Path run = shortTempDir();
        Path storageConf = write(work.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + storage
            + "\"\nrunroot = \"" + run + "\"\n");
        Path containersConf = write(work.resolve("containers.conf"), "[engine]\ncgroup_manager = \"cgroupfs\"\n"
            + "events_logger = \"file\"\nevents_logfile_path = \"" + work.resolve("events.log") + "\"\n");
        Path empty = write(work.resolve("no-auth.json"), "{\"auths\":{}}");
        Cli podman = Cli.of(PODMAN, work, Map.of(
                "CONTAINERS_STORAGE_CONF", storageConf.toString(),
                "CONTAINERS_CONF", containersConf.toString(),
                "CONTAINERS_REGISTRIES_CONF", registriesConf.toString(),
                "REGISTRY_AUTH_FILE", empty.toString()),
            List.of("--root", storage.toString(), "--runroot", run.toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--tmpdir", work.resolve("libpod").toString()));
        Cli.Result info = podman.run(TIMEOUT, "info");
        Cli.require(info.exitCode() == 0, "podman cannot initialise private vfs storage here\n" + info.describe());
        return podman;
    }


    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shortTempDir() {
        try {
            Path dir = Files.createTempDirectory("wharf-run-");
            SHORT_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
