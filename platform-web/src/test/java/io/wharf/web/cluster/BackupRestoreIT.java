package io.wharf.web.cluster;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.S3ProxyServer;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.web.clients.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup procedure of the README, on a node that runs as in production (PostgreSQL, the {@code minio} driver
 * on s3proxy): {@code pg_dump -Fc} of the database first, then a copy of the bucket's directory. The database and
 * the bucket are then lost, restored with {@code pg_restore} into an empty database and the copy, and a fresh node
 * with the same {@code WHARF_SECRET_KEY} serves every image digest for digest, its tags and its accounts. An image
 * pushed between the dump and the bucket copy is not in the restored registry, and its bytes harm nothing: rows
 * are written after their bytes, so a dump taken first never names a blob the later bucket copy lacks.
 */
class BackupRestoreIT {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration TOOL = Duration.ofMinutes(2);
    private static final TestImage.Platform AMD64 = TestImage.Platform.of("linux", "amd64");
    private static final TestImage.Platform ARM64 = TestImage.Platform.of("linux", "arm64");

    @TempDir
    Path work;

    /** A manifest pushed under {@code reference} (a tag or its digest) of {@code repository}. */
    private record Pushed(String repository, String reference, String digest) {
    }

    @Test
    void aDatabaseDumpAndABucketCopyRestoreIntoAFreshNodeThatServesEveryImageDigestForDigest() throws Exception {
        Optional<Path> pgDump = Cli.onPath("pg_dump");
        Optional<Path> pgRestore = Cli.onPath("pg_restore");
        Cli.require(pgDump.isPresent() && pgRestore.isPresent(), "pg_dump and pg_restore (Debian's postgresql-client) are not installed");
        String schema = PostgresTestDatabase.newSchema();
        Path bucket = Files.createDirectories(work.resolve("bucket"));
        Path bucketCopy = work.resolve("bucket-copy");
        Path dump = work.resolve("wharf.dump");
        Map<String, String> pgEnvironment = Map.of("PGPASSWORD", PostgresTestDatabase.password());

        List<Pushed> manifests = new ArrayList<>();
        List<String> blobs = new ArrayList<>(); // "repository@digest"
        try (S3ProxyServer store = S3ProxyServer.start(bucket)) {
            int port = WharfProcess.freePort();
            try (WharfProcess node = ClusterNode.launch("before", work, port, schema, store, "http://127.0.0.1:" + port)
                .awaitReady(START)) {
                RegistryClient admin = node.client().asAdmin();
                admin.createProject("backup", false);
                admin.createUser("bob", TestAccounts.USER_PASSWORD);
                admin.addMember("backup", "bob", TestAccounts.ROLE_DEVELOPER);

                TestImage app = TestImage.random(TestImage.Format.DOCKER, AMD64, 81, 5000, 7000);
                manifests.add(new Pushed("backup/app", "1.0", admin.push("backup/app", "1.0", app)));
                manifests.add(new Pushed("backup/app", "latest", admin.pushManifest("backup/app", "latest", app.manifestType(), app.manifest())));
                app.blobs().forEach(blob -> blobs.add("backup/app@" + TestImage.sha256(blob)));
                TestImage amd = TestImage.random(TestImage.Format.OCI, AMD64, 82, 3000);
                TestImage arm = TestImage.random(TestImage.Format.OCI, ARM64, 83, 4000);
                Map<TestImage.Platform, TestImage> children = new LinkedHashMap<>();
                children.put(AMD64, amd);
                children.put(ARM64, arm);
                for (TestImage child : children.values()) {
                    manifests.add(new Pushed("backup/multi", child.manifestDigest(), admin.push("backup/multi", child.manifestDigest(), child)));
                    child.blobs().forEach(blob -> blobs.add("backup/multi@" + TestImage.sha256(blob)));
                }
                TestImage.Blob index = TestImage.index(TestImage.Format.OCI, children);
                manifests.add(new Pushed("backup/multi", "2.0", admin.pushManifest("backup/multi", "2.0", index.mediaType(), index.content())));
                byte[] chunked = new byte[3 * 1024 * 1024 + 17];
                new java.util.Random(84).nextBytes(chunked);
                blobs.add("backup/app@" + admin.pushBlobChunked("backup/app", chunked, 1024 * 1024));

                // 1. the database (a schema of the test server here; the whole database in production)
                tool(pgDump.get(), pgEnvironment).ok(TOOL, "--format=custom", "--schema=" + schema, "--file=" + dump,
                    "--username=" + PostgresTestDatabase.user(), "--dbname=" + libpqUrl());
                // an image pushed after the dump, before the bucket copy: its bytes are copied, its rows are not
                admin.pushImage("backup/late", "1", "pushed after the dump");
                // 2. the bucket
                copyTree(bucket, bucketCopy);
            }
        }

        // the disaster: database and bucket gone
        try (Connection db = DriverManager.getConnection(PostgresTestDatabase.url(), PostgresTestDatabase.user(),
            PostgresTestDatabase.password()); Statement drop = db.createStatement()) {
            drop.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        deleteTree(bucket);

        tool(pgRestore.get(), pgEnvironment).ok(TOOL, "--no-owner", "--no-privileges", "--exit-on-error",
            "--username=" + PostgresTestDatabase.user(), "--dbname=" + libpqUrl(), dump.toString());
        try (S3ProxyServer restoredStore = S3ProxyServer.start(bucketCopy)) {
            int port = WharfProcess.freePort();
            try (WharfProcess node = ClusterNode.launch("restored", work, port, schema, restoredStore, "http://127.0.0.1:" + port)
                .awaitReady(START)) {
                RegistryClient admin = node.client().asAdmin();
                for (Pushed pushed : manifests) {
                    Response manifest = admin.getManifest(pushed.repository(), pushed.reference()).expect(200);
                    assertThat(TestImage.sha256(manifest.body())).as("%s", pushed).isEqualTo(pushed.digest());
                    assertThat(TestImage.sha256(admin.getManifest(pushed.repository(), pushed.digest()).expect(200).body()))
                        .isEqualTo(pushed.digest());
                }
                for (String blob : blobs) {
                    String[] parts = blob.split("@");
                    assertThat(TestImage.sha256(admin.getBlob(parts[0], parts[1]).expect(200).body())).as(blob).isEqualTo(parts[1]);
                }
                assertThat(admin.tags("backup/app").expect(200).json().path("tags").valueStream().map(t -> t.asString()).toList())
                    .containsExactlyInAnyOrder("1.0", "latest");
                assertThat(admin.catalogNames()).contains("backup/app", "backup/multi").doesNotContain("backup/late");
                assertThat(admin.getManifest("backup/late", "1").status()).as("pushed after the dump").isEqualTo(404);

                RegistryClient bob = node.client().withBasic("bob", TestAccounts.USER_PASSWORD);
                bob.get("/api/v2.0/users/current").expect(200);
                String token = bob.tokenFor("repository:backup/app:pull");
                node.client().get("/v2/backup/app/manifests/1.0", "Authorization", "Bearer " + token,
                    "Accept", TestImage.DOCKER_MANIFEST).expect(200);
                assertThat(node.client().withBasic("bob", "Wrong12345").get("/v2/").status()).isEqualTo(401);
            }
        }
    }

    private Cli tool(Path binary, Map<String, String> environment) {
        return Cli.of(binary, work.resolve(binary.getFileName().toString()), environment, List.of());
    }

    /** The test database as a libpq URL ({@code postgresql://host:port/database}), from its JDBC URL. */
    private static String libpqUrl() {
        URI uri = URI.create(PostgresTestDatabase.url().substring("jdbc:".length()));
        return "postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
