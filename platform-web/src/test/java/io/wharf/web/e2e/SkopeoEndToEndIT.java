package io.wharf.web.e2e;

import static io.wharf.testkit.TestImage.DOCKER_MANIFEST;
import static io.wharf.testkit.TestImage.OCI_INDEX;
import static io.wharf.testkit.TestImage.OCI_MANIFEST;
import static io.wharf.testkit.TestImage.Entry.directory;
import static io.wharf.testkit.TestImage.Entry.random;
import static io.wharf.testkit.TestImage.Entry.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

import io.wharf.core.iam.ProjectService;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.core.testing.TestProjects;
import io.wharf.testkit.TestAccounts;
import io.wharf.web.PlatformApplication;
import io.wharf.testkit.TestImage.Descriptor;
import io.wharf.testkit.TestImage.Format;
import io.wharf.testkit.TestImage.Layout.Image;
import io.wharf.testkit.TestImage.Layout.Index;
import io.wharf.testkit.TestImage.Platform;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;

/**
 * End to end with the real {@code skopeo} client against Wharf booted in-process: images generated here (OCI
 * single-arch, OCI multi-arch index, Docker schema 2, a 256 MiB layer) are pushed with {@code skopeo copy}, pulled
 * back into fresh OCI layouts and compared digest by digest; tags are listed, images copied between repositories,
 * and tags and manifests deleted.
 *
 * <p>Wharf asks for credentials: the test logs skopeo in as the {@code admin} ({@code skopeo login}, which keeps
 * them in skopeo's private auth file for every later run), sends the admin's Basic credentials with its own HTTP
 * requests, and creates the private project {@code e2e} its repositories live in.
 *
 * <p>Skipped when skopeo is not installed. System properties (pass them with {@code -DargLine=-D...}): {@code
 * wharf.e2e.skopeo} names the skopeo binary; {@code wharf.e2e.registry} (host:port of a plain HTTP registry) runs the
 * same checks against another registry for comparison, e.g. the reference {@code docker-registry} (without
 * credentials).
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SkopeoEndToEndIT {

    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final long MIB = 1024 * 1024;
    private static final long LARGE_LAYER_SIZE = 256 * MIB;

    private static final String MANIFEST_ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST,
        "application/vnd.docker.distribution.manifest.list.v2+json");

    private static final Path WORK;
    private static Skopeo skopeo;
    private static boolean loggedIn;
    private static final AtomicInteger DIRS = new AtomicInteger();

    static {
        try {
            WORK = Files.createTempDirectory("wharf-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    private int port;


    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("wharf.data-dir", () -> WORK.resolve("data").toString());
    }

    @BeforeAll
    static void requireSkopeo() {
        Optional<Path> binary = Skopeo.find();
        io.wharf.web.clients.Cli.require(binary.isPresent(), "skopeo is not installed");
        skopeo = Skopeo.at(binary.get(), WORK.resolve("skopeo"));
        System.out.println("Using " + skopeo.version() + " (" + binary.get() + ")");
    }

    /** Once, against the in-process Wharf: the {@code e2e} project, and skopeo logged in as the admin. */
    @BeforeEach
    void loginToWharf(@Autowired ProjectService projects) {
        if (loggedIn || !inProcess()) {
            return;
        }
        TestProjects.ensure(projects, "e2e");
        skopeo.login(registry(), TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        loggedIn = true;
    }

    @AfterAll
    static void deleteWorkDirectory() throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> paths = Files.walk(WORK)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void singleArchOciImageRoundTrips() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("single"));
        Image image = layout.writeImage(Format.OCI, Platform.of("linux", "amd64"), List.of(
            List.of(directory("etc"), text("etc/os-release", "ID=wharf-e2e\nNAME=single\n"),
                random("usr/bin/tool", 3 * MIB + 17, 11)),
            List.of(text("etc/motd", "single-arch OCI image\n"), random("var/data.bin", 700_000, 12))));
        layout.tag("v1", image.manifest());
        String ref = ref("e2e/single", "v1");

        assertThat(push(layout.root(), "v1", ref, "--preserve-digests")).isEqualTo(image.manifest().digest());

        assertThat(rawManifest(ref)).isEqualTo(image.manifestBytes());
        assertManifestServed("e2e/single", "v1", image.manifest(), image.manifestBytes());
        assertManifestServed("e2e/single", image.manifest().digest(), image.manifest(), image.manifestBytes());
        for (String blob : List.of(image.config().digest(), image.layers().get(0).descriptor().digest(),
            image.layers().get(1).descriptor().digest())) {
            assertBlobPresent("e2e/single", blob);
        }

        // The non-raw inspect reads the config blob as well
        JsonNode inspected = json(skopeo.run(SHORT, "inspect", "--tls-verify=false", ref).stdout());
        assertThat(inspected.path("Digest").asString()).isEqualTo(image.manifest().digest());
        assertThat(inspected.path("Architecture").asString()).isEqualTo("amd64");
        assertThat(inspected.path("Os").asString()).isEqualTo("linux");
        assertThat(strings(inspected.path("Layers")))
            .containsExactly(image.layers().get(0).descriptor().digest(), image.layers().get(1).descriptor().digest());

        pullAndCompare(ref, "v1", image.manifest(), image.digests(), "--preserve-digests");
    }

    @Test
    void multiArchOciIndexRoundTrips() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("multi"));
        Platform amd64 = Platform.of("linux", "amd64");
        Platform arm64 = new Platform("linux", "arm64", "v8");
        Image amd = layout.writeImage(Format.OCI, amd64, List.of(
            List.of(text("etc/arch", "amd64\n"), random("usr/bin/tool", 2 * MIB, 21))));
        Image arm = layout.writeImage(Format.OCI, arm64, List.of(
            List.of(text("etc/arch", "arm64\n"), random("usr/bin/tool", 2 * MIB, 22)),
            List.of(text("etc/extra", "second arm64 layer\n"))));
        Map<Platform, Image> images = new LinkedHashMap<>();
        images.put(amd64, amd);
        images.put(arm64, arm);
        Index index = layout.writeIndex(images);
        layout.tag("v1", index.descriptor());
        String ref = ref("e2e/multi", "v1");

        assertThat(push(layout.root(), "v1", ref, "--all", "--preserve-digests"))
            .isEqualTo(index.descriptor().digest());

        assertThat(rawManifest(ref)).isEqualTo(index.indexBytes());
        assertManifestServed("e2e/multi", "v1", index.descriptor(), index.indexBytes());
        for (Image image : List.of(amd, arm)) {
            assertThat(rawManifest(refByDigest("e2e/multi", image.manifest().digest())))
                .isEqualTo(image.manifestBytes());
            assertManifestServed("e2e/multi", image.manifest().digest(), image.manifest(), image.manifestBytes());
        }

        // The client picks the platform's manifest out of the index
        JsonNode armInspect = json(skopeo.run(SHORT, "--override-os", "linux", "--override-arch", "arm64",
            "--override-variant", "v8", "inspect", "--tls-verify=false", ref).stdout());
        assertThat(armInspect.path("Architecture").asString()).isEqualTo("arm64");
        assertThat(strings(armInspect.path("Layers"))).containsExactlyElementsOf(
            arm.layers().stream().map(l -> l.descriptor().digest()).toList());

        pullAndCompare(ref, "v1", index.descriptor(), index.digests(), "--all", "--preserve-digests");
    }

    @Test
    void dockerSchema2ImageRoundTrips() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("docker"));
        Image image = layout.writeImage(Format.DOCKER, Platform.of("linux", "amd64"), List.of(
            List.of(directory("app"), text("app/README", "docker schema 2 image\n"), random("app/lib.so", MIB, 31)),
            List.of(random("app/assets.bin", 300_000, 32))));
        // skopeo's oci: transport only resolves OCI media types; dir: carries the schema 2 manifest byte for byte
        Path source = layout.exportDirTransport(image, newDir("docker-dir"));
        String ref = ref("e2e/docker", "v1");

        assertThat(push("dir:" + source, ref, SHORT, "--preserve-digests")).isEqualTo(image.manifest().digest());

        assertThat(rawManifest(ref)).isEqualTo(image.manifestBytes());
        assertManifestServed("e2e/docker", "v1", image.manifest(), image.manifestBytes());
        // Asked for Docker schema 2 only, it gets exactly the pushed bytes
        Response dockerOnly = request("GET", "/v2/e2e/docker/manifests/v1").header("Accept", DOCKER_MANIFEST)
            .send();
        assertThat(dockerOnly.statusCode()).as(describe(dockerOnly)).isEqualTo(200);
        assertThat(dockerOnly.headers().firstValue("Content-Type")).as(describe(dockerOnly)).hasValue(DOCKER_MANIFEST);
        assertThat(dockerOnly.body()).as(describe(dockerOnly)).isEqualTo(image.manifestBytes());

        JsonNode inspected = json(skopeo.run(SHORT, "inspect", "--tls-verify=false", ref).stdout());
        assertThat(inspected.path("Digest").asString()).isEqualTo(image.manifest().digest());
        assertThat(strings(inspected.path("Layers"))).containsExactlyElementsOf(
            image.layers().stream().map(l -> l.descriptor().digest()).toList());

        Path pulled = newDir("docker-pull");
        skopeo.run(SHORT, "copy", "--src-tls-verify=false", "--preserve-digests", ref, "dir:" + pulled);
        assertThat(TestImage.Layout.verifyDirTransport(pulled)).containsExactlyElementsOf(image.digests());
    }

    @Test
    void ociImageConvertedToDockerSchema2OnPush() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("convert"));
        Image image = smallImage(layout, "converted to docker schema 2");
        layout.tag("v1", image.manifest());
        String ref = ref("e2e/docker", "converted");

        String digest = push(layout.root(), "v1", ref, "--format", "v2s2");

        Response get = request("GET", "/v2/e2e/docker/manifests/converted").header("Accept", MANIFEST_ACCEPT)
            .send();
        assertThat(get.statusCode()).as(describe(get)).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).as(describe(get)).hasValue(DOCKER_MANIFEST);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).as(describe(get)).hasValue(digest);
        assertThat(TestImage.sha256(get.body())).isEqualTo(digest);
        JsonNode manifest = json(get.body());
        assertThat(manifest.path("mediaType").asString()).isEqualTo(DOCKER_MANIFEST);
        assertThat(manifest.path("config").path("mediaType").asString())
            .isEqualTo(TestImage.DOCKER_CONFIG);
        // The layer bytes are not touched by the conversion, only their media type
        assertThat(manifest.path("layers").get(0).path("digest").asString())
            .isEqualTo(image.layers().get(0).descriptor().digest());
        assertThat(manifest.path("layers").get(0).path("mediaType").asString())
            .isEqualTo(TestImage.DOCKER_LAYER_GZIP);

        Path pulled = newDir("convert-pull");
        skopeo.run(SHORT, "copy", "--src-tls-verify=false", "--preserve-digests", ref, "dir:" + pulled);
        Set<String> digests = TestImage.Layout.verifyDirTransport(pulled);
        assertThat(digests).first().isEqualTo(digest);
        assertThat(digests).contains(manifest.path("config").path("digest").asString(),
            image.layers().get(0).descriptor().digest());
    }

    @Test
    void imageWithLargeLayerRoundTrips() throws IOException {
        long start = System.nanoTime();
        // Random data does not compress: store it (still a valid gzip stream) rather than let zlib try for seconds
        TestImage.Layout layout = TestImage.Layout.create(newDir("large")).gzipLevel(Deflater.NO_COMPRESSION);
        Image image = layout.writeImage(Format.OCI, Platform.of("linux", "amd64"), List.of(
            List.of(text("etc/large", "large layer follows\n")),
            List.of(random("data/large.bin", LARGE_LAYER_SIZE, 41))));
        layout.tag("v1", image.manifest());
        Descriptor large = image.layers().get(1).descriptor();
        assertThat(large.size()).isGreaterThan(LARGE_LAYER_SIZE);
        assertThat(Files.size(layout.root().resolve("blobs/sha256/" + TestImage.hex(large.digest()))))
            .isEqualTo(large.size());
        log("generated large image (%d bytes layer) in %d ms", large.size(), millisSince(start));
        String ref = ref("e2e/large", "v1");

        start = System.nanoTime();
        assertThat(push(layout.root(), "v1", ref, LONG, "--preserve-digests")).isEqualTo(image.manifest().digest());
        log("pushed large image in %d ms", millisSince(start));

        Response head = request("HEAD", "/v2/e2e/large/blobs/" + large.digest()).send();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(large.size());
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(large.digest());
        assertThat(rawManifest(ref)).isEqualTo(image.manifestBytes());

        start = System.nanoTime();
        pullAndCompare(ref, "v1", image.manifest(), image.digests(), LONG, "--preserve-digests");
        log("pulled and verified large image in %d ms", millisSince(start));
    }

    @Test
    void listsTags() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("tags"));
        Image image = smallImage(layout, "tags");
        for (String tag : List.of("v1", "v2", "latest")) {
            layout.tag(tag, image.manifest());
            push(layout.root(), tag, ref("e2e/tags", tag), "--preserve-digests");
        }

        JsonNode listed = json(skopeo.run(SHORT, "list-tags", "--tls-verify=false", "docker://" + registry()
            + "/e2e/tags").stdout());
        assertThat(listed.path("Repository").asString()).isEqualTo(registry() + "/e2e/tags");
        assertThat(strings(listed.path("Tags"))).containsExactlyInAnyOrder("latest", "v1", "v2");

        Response list = request("GET", "/v2/e2e/tags/tags/list").send();
        assertThat(list.statusCode()).as(describe(list)).isEqualTo(200);
        JsonNode body = json(list.body());
        assertThat(body.path("name").asString()).isEqualTo("e2e/tags");
        assertThat(strings(body.path("tags"))).containsExactly("latest", "v1", "v2");

        Response firstPage = request("GET", "/v2/e2e/tags/tags/list?n=2").send();
        assertThat(firstPage.statusCode()).as(describe(firstPage)).isEqualTo(200);
        assertThat(strings(json(firstPage.body()).path("tags"))).as(describe(firstPage))
            .containsExactly("latest", "v1");
        Response secondPage = request("GET", "/v2/e2e/tags/tags/list?n=2&last=v1").send();
        assertThat(secondPage.statusCode()).as(describe(secondPage)).isEqualTo(200);
        assertThat(strings(json(secondPage.body()).path("tags"))).as(describe(secondPage)).containsExactly("v2");
    }

    @Test
    void copiesBetweenRepositories() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("copy-src"));
        Image single = smallImage(layout, "copy single");
        Platform amd64 = Platform.of("linux", "amd64");
        Platform arm64 = new Platform("linux", "arm64", "v8");
        Map<Platform, Image> images = new LinkedHashMap<>();
        images.put(amd64, layout.writeImage(Format.OCI, amd64, List.of(List.of(text("arch", "copy amd64\n")))));
        images.put(arm64, layout.writeImage(Format.OCI, arm64, List.of(List.of(text("arch", "copy arm64\n")))));
        Index index = layout.writeIndex(images);
        layout.tag("single", single.manifest()).tag("multi", index.descriptor());
        push(layout.root(), "single", ref("e2e/copy-source", "single"), "--preserve-digests");
        push(layout.root(), "multi", ref("e2e/copy-source", "multi"), "--all", "--preserve-digests");

        skopeo.run(SHORT, "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--preserve-digests",
            ref("e2e/copy-source", "single"), ref("e2e/copy", "single-copy"));
        skopeo.run(SHORT, "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--all", "--preserve-digests",
            ref("e2e/copy-source", "multi"), ref("e2e/copy", "multi-copy"));

        assertThat(rawManifest(ref("e2e/copy", "single-copy"))).isEqualTo(single.manifestBytes());
        assertThat(rawManifest(ref("e2e/copy", "multi-copy"))).isEqualTo(index.indexBytes());
        for (String digest : single.digests()) {
            if (!digest.equals(single.manifest().digest())) {
                assertBlobPresent("e2e/copy", digest);
            }
        }
        JsonNode listed = json(skopeo.run(SHORT, "list-tags", "--tls-verify=false", "docker://" + registry()
            + "/e2e/copy").stdout());
        assertThat(strings(listed.path("Tags"))).containsExactlyInAnyOrder("single-copy", "multi-copy");

        pullAndCompare(ref("e2e/copy", "single-copy"), "single-copy", single.manifest(), single.digests(),
            "--preserve-digests");
        pullAndCompare(ref("e2e/copy", "multi-copy"), "multi-copy", index.descriptor(), index.digests(), "--all",
            "--preserve-digests");
    }

    @Test
    void skopeoDeleteRemovesTheManifest() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("delete"));
        Image image = smallImage(layout, "delete me");
        Image other = smallImage(layout, "stay");
        layout.tag("doomed", image.manifest()).tag("other", other.manifest());
        push(layout.root(), "doomed", ref("e2e/delete", "doomed"), "--preserve-digests");
        push(layout.root(), "other", ref("e2e/delete", "other"), "--preserve-digests");
        assertManifestServed("e2e/delete", image.manifest().digest(), image.manifest(), image.manifestBytes());

        // skopeo resolves the tag and deletes the manifest by digest
        skopeo.run(SHORT, "delete", "--tls-verify=false", ref("e2e/delete", "doomed"));

        for (String reference : List.of(image.manifest().digest(), "doomed")) {
            Response get = request("GET", "/v2/e2e/delete/manifests/" + reference)
                .header("Accept", MANIFEST_ACCEPT).send();
            assertThat(get.statusCode()).as(describe(get)).isEqualTo(404);
            assertThat(errorCodes(get)).as(describe(get)).contains("MANIFEST_UNKNOWN");
            Response head = request("HEAD", "/v2/e2e/delete/manifests/" + reference)
                .header("Accept", MANIFEST_ACCEPT).send();
            assertThat(head.statusCode()).as("HEAD manifest " + reference).isEqualTo(404);
        }
        Skopeo.Result inspect = skopeo.attempt(SHORT, "inspect", "--raw", "--tls-verify=false",
            ref("e2e/delete", "doomed"));
        assertThat(inspect.exitCode()).as(inspect.describe()).isNotZero();

        JsonNode listed = json(skopeo.run(SHORT, "list-tags", "--tls-verify=false", "docker://" + registry()
            + "/e2e/delete").stdout());
        assertThat(strings(listed.path("Tags"))).containsExactly("other");
        assertThat(rawManifest(ref("e2e/delete", "other"))).isEqualTo(other.manifestBytes());
    }

    @Test
    void deletingATagKeepsTheManifest() {
        TestImage.Layout layout = TestImage.Layout.create(newDir("tagdel"));
        Image image = smallImage(layout, "tag delete");
        layout.tag("keep", image.manifest()).tag("drop", image.manifest());
        push(layout.root(), "keep", ref("e2e/tagdel", "keep"), "--preserve-digests");
        push(layout.root(), "drop", ref("e2e/tagdel", "drop"), "--preserve-digests");

        Response delete = request("DELETE", "/v2/e2e/tagdel/manifests/drop").send();
        assertThat(delete.statusCode()).as(describe(delete)).isEqualTo(202);

        Response list = request("GET", "/v2/e2e/tagdel/tags/list").send();
        assertThat(list.statusCode()).as(describe(list)).isEqualTo(200);
        assertThat(strings(json(list.body()).path("tags"))).containsExactly("keep");
        JsonNode listed = json(skopeo.run(SHORT, "list-tags", "--tls-verify=false", "docker://" + registry()
            + "/e2e/tagdel").stdout());
        assertThat(strings(listed.path("Tags"))).containsExactly("keep");

        Response gone = request("GET", "/v2/e2e/tagdel/manifests/drop").header("Accept", MANIFEST_ACCEPT)
            .send();
        assertThat(gone.statusCode()).as(describe(gone)).isEqualTo(404);
        assertThat(errorCodes(gone)).as(describe(gone)).contains("MANIFEST_UNKNOWN");
        assertManifestServed("e2e/tagdel", image.manifest().digest(), image.manifest(), image.manifestBytes());
        assertThat(rawManifest(ref("e2e/tagdel", "keep"))).isEqualTo(image.manifestBytes());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Image smallImage(TestImage.Layout layout, String label) {
        return layout.writeImage(Format.OCI, Platform.of("linux", "amd64"), List.of(
            List.of(text("etc/label", label + "\n"), random("bin/payload", 64 * 1024, label.hashCode()))));
    }

    private String registry() {
        return inProcess() ? "127.0.0.1:" + port : System.getProperty("wharf.e2e.registry");
    }

    /** Whether the checks run against the Wharf booted here (not another registry named by {@code wharf.e2e.registry}). */
    private static boolean inProcess() {
        String override = System.getProperty("wharf.e2e.registry");
        return override == null || override.isBlank();
    }

    private String ref(String repository, String tag) {
        return "docker://" + registry() + "/" + repository + ":" + tag;
    }

    private String refByDigest(String repository, String digest) {
        return "docker://" + registry() + "/" + repository + "@" + digest;
    }

    private static Path newDir(String name) {
        try {
            return Files.createDirectories(WORK.resolve(name + "-" + DIRS.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code skopeo copy oci:<layout>:<tag> <ref>}; returns the digest skopeo reports for the pushed manifest. */
    private String push(Path layout, String tag, String ref, String... flags) {
        return push(layout, tag, ref, SHORT, flags);
    }

    private String push(Path layout, String tag, String ref, Duration timeout, String... flags) {
        return push("oci:" + layout + ":" + tag, ref, timeout, flags);
    }

    /** {@code skopeo copy <source> <ref>}; returns the digest skopeo reports for the pushed manifest. */
    private String push(String source, String ref, Duration timeout, String... flags) {
        Path digestFile = WORK.resolve("digest-" + DIRS.incrementAndGet());
        List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false", "--digestfile",
            digestFile.toString()));
        args.addAll(List.of(flags));
        args.add(source);
        args.add(ref);
        skopeo.run(timeout, args.toArray(String[]::new));
        try {
            return Files.readString(digestFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pulls {@code ref} into a fresh OCI layout and checks that the tag resolves to {@code expectedTop}, that exactly
     * {@code expectedDigests} are reachable from it, and that every blob on disk hashes to its name.
     */
    private void pullAndCompare(String ref, String tag, Descriptor expectedTop, Set<String> expectedDigests,
        String... flags) {
        pullAndCompare(ref, tag, expectedTop, expectedDigests, SHORT, flags);
    }

    private void pullAndCompare(String ref, String tag, Descriptor expectedTop, Set<String> expectedDigests,
        Duration timeout, String... flags) {
        Path target = newDir("pull");
        List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false"));
        args.addAll(List.of(flags));
        args.add(ref);
        args.add("oci:" + target + ":" + tag);
        skopeo.run(timeout, args.toArray(String[]::new));

        TestImage.Layout pulled = TestImage.Layout.open(target);
        Descriptor top = pulled.resolve(tag);
        assertThat(top).as("descriptor of " + tag + " in the pulled layout").isEqualTo(expectedTop);
        assertThat(new TreeSet<>(pulled.reachable(top))).as("digests reachable from the pulled " + tag)
            .isEqualTo(new TreeSet<>(expectedDigests));
        assertThat(pulled.verifyAllBlobs()).as("blobs of the pulled layout")
            .isEqualTo(new TreeSet<>(expectedDigests));
    }

    private byte[] rawManifest(String ref) {
        Skopeo.Result result = skopeo.run(SHORT, "inspect", "--raw", "--tls-verify=false", ref);
        return result.stdout().getBytes(StandardCharsets.UTF_8);
    }

    /** GET of the manifest answers with exactly the pushed bytes, its media type and its digest. */
    private Response assertManifestServed(String repository, String reference, Descriptor expected,
        byte[] bytes) {
        Response get = request("GET", "/v2/" + repository + "/manifests/" + reference)
            .header("Accept", MANIFEST_ACCEPT).send();
        assertThat(get.statusCode()).as(describe(get)).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).as(describe(get)).hasValue(expected.mediaType());
        assertThat(get.headers().firstValue("Docker-Content-Digest")).as(describe(get)).hasValue(expected.digest());
        assertThat(get.body()).as(describe(get)).isEqualTo(bytes);

        Response head = request("HEAD", "/v2/" + repository + "/manifests/" + reference)
            .header("Accept", MANIFEST_ACCEPT).send();
        assertThat(head.statusCode()).as("HEAD manifest " + reference).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).as("HEAD manifest " + reference)
            .hasValue(expected.mediaType());
        assertThat(head.headers().firstValue("Docker-Content-Digest")).as("HEAD manifest " + reference)
            .hasValue(expected.digest());
        assertThat(head.headers().firstValueAsLong("Content-Length")).as("HEAD manifest " + reference)
            .hasValue(expected.size());
        return get;
    }

    private void assertBlobPresent(String repository, String digest) {
        Response head = request("HEAD", "/v2/" + repository + "/blobs/" + digest).send();
        assertThat(head.statusCode()).as("HEAD /v2/" + repository + "/blobs/" + digest).isEqualTo(200);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    }

    /** A request to the registry, with the admin's Basic credentials when it is the in-process Wharf. */
    /** A request to the registry under test; as the admin when it is the one booted here. */
    private RegistryClient.Request request(String method, String path) {
        RegistryClient client = RegistryClient.forUrl("http://" + registry());
        return (inProcess() ? client.asAdmin() : client).request(method, path);
    }

    private static String describe(Response response) {
        return response.describe();
    }

    private static List<String> errorCodes(Response response) {
        try {
            List<String> codes = new ArrayList<>();
            for (JsonNode error : json(response.body()).path("errors")) {
                codes.add(error.path("code").asString());
            }
            return codes;
        } catch (RuntimeException notJson) {
            return List.of();
        }
    }

    private static JsonNode json(String text) {
        return TestImage.Layout.json(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(byte[] bytes) {
        return TestImage.Layout.json(bytes);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array) {
            values.add(v.asString());
        }
        return values;
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private static void log(String format, Object... args) {
        System.out.println("[skopeo e2e] " + String.format(format, args));
    }
}
