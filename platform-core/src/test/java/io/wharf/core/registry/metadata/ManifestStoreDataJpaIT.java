package io.wharf.core.registry.metadata;

import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.ManifestParser;
import io.wharf.core.storage.BlobStore;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.inmemory.InMemoryStorageDriver;
import io.wharf.core.testing.PostgresDataJpaTest;
import io.wharf.testkit.TestImage;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifest and tag stores on real PostgreSQL (a JPA slice): a manifest is stored once with its references,
 * tags resolve to it and move, artifacts that name it as subject are its referrers, and deleting it takes its
 * tags and references along.
 */
@PostgresDataJpaTest
@Import({ManifestStore.class, TagStore.class, RepositoryStore.class, BlobStore.class, ManifestStoreDataJpaIT.Storage.class,
    io.wharf.core.TestClock.class})
class ManifestStoreDataJpaIT {

    /** Blob content in memory; the slice is about the metadata. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Storage {

        @Bean
        StorageDriver storageDriver() {
            return new InMemoryStorageDriver();
        }
    }

    private static final String SBOM = "application/vnd.example.sbom";

    @Autowired
    ManifestStore manifests;

    @Autowired
    TagStore tags;

    @Autowired
    RepositoryStore repositories;

    @Autowired
    BlobStore blobs;

    @Autowired
    JdbcTemplate jdbc;

    /** Flushed before the rows are read back with SQL, so the assertions see what the stores wrote. */
    @Autowired
    EntityManager entityManager;

    private final ManifestParser parser = new ManifestParser();
    private final TestImage image = TestImage.simple("data-jpa-slice");
    private long repository;

    @BeforeEach
    void repositoryWithBlobs() {
        repository = repositories.getOrCreate(io.wharf.core.registry.RepositoryName.of("slice/app"));
        putBlobs(image);
    }

    @Test
    void storesAManifestOnceWithItsReferences() {
        ManifestInfo stored = put(image.manifest());

        assertThat(stored.digest()).hasToString(image.manifestDigest());
        assertThat(stored.mediaType()).isEqualTo(TestImage.OCI_MANIFEST);
        assertThat(stored.size()).isEqualTo(image.manifestSize());
        assertThat(manifests.content(stored)).isEqualTo(image.manifest());
        assertThat(jdbc.queryForList("SELECT position, kind, digest FROM manifest_reference WHERE manifest_id = ? ORDER BY position",
            stored.id())).containsExactly(
                Map.of("position", 0, "kind", "CONFIG", "digest", image.configDigest()),
                Map.of("position", 1, "kind", "LAYER", "digest", image.layerDigest()));

        assertThat(put(image.manifest()).id()).as("stored again").isEqualTo(stored.id());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM manifest_reference WHERE manifest_id = ?", Long.class, stored.id()))
            .isEqualTo(2);
        assertThat(manifests.find(repository, stored.digest())).contains(stored);
    }

    @Test
    void tagsResolveToTheManifestAndMove() {
        ManifestInfo first = put(image.manifest());
        TestImage other = TestImage.simple("data-jpa-slice other");
        putBlobs(other);
        ManifestInfo second = put(other.manifest());

        tags.tag(repository, "v1", first.id());
        tags.tag(repository, "latest", first.id());
        assertThat(tags.resolve(repository, "v1")).map(ManifestInfo::digest).contains(first.digest());
        assertThat(tags.names(repository, "", 100)).containsExactly("latest", "v1");

        tags.tag(repository, "latest", second.id());
        assertThat(tags.resolve(repository, "latest")).map(ManifestInfo::digest).contains(second.digest());
        assertThat(tags.delete(repository, "v1")).isTrue();
        assertThat(tags.delete(repository, "v1")).isFalse();
        assertThat(tags.resolve(repository, "v1")).isEmpty();
        assertThat(manifests.find(repository, first.digest())).as("untagging keeps the manifest").isPresent();
    }

    @Test
    void artifactsNamingTheManifestAsSubjectAreItsReferrers() {
        ManifestInfo subject = put(image.manifest());
        byte[] payload = "an sbom".getBytes(StandardCharsets.UTF_8);
        blobs.ingest(Digest.parse(TestImage.sha256(payload)), new java.io.ByteArrayInputStream(payload));
        blobs.ingest(Digest.parse(TestImage.EMPTY_JSON_DIGEST), new java.io.ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
        TestImage.Blob sbom = TestImage.artifact(SBOM, image.descriptor(), Map.of("org.example.kind", "sbom"),
            new TestImage.Descriptor(SBOM, TestImage.sha256(payload), payload.length));

        ManifestInfo referrer = put(sbom.content());

        assertThat(referrer.subject()).isEqualTo(subject.digest());
        assertThat(referrer.artifactType()).isEqualTo(SBOM);
        assertThat(referrer.annotations()).contains("org.example.kind");
        assertThat(manifests.referrers(repository, subject.digest())).extracting(ManifestInfo::digest)
            .containsExactly(referrer.digest());
        assertThat(manifests.referrers(repository, referrer.digest())).isEmpty();
    }

    @Test
    void deletingAManifestTakesItsTagsAndReferencesAlong() {
        ManifestInfo stored = put(image.manifest());
        tags.tag(repository, "v1", stored.id());

        assertThat(manifests.delete(repository, stored.digest())).isTrue();
        entityManager.flush();

        assertThat(manifests.find(repository, stored.digest())).isEmpty();
        assertThat(tags.resolve(repository, "v1")).isEmpty();
        assertThat(tags.names(repository, "", 100)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM manifest_reference WHERE manifest_id = ?", Long.class, stored.id()))
            .isZero();
        assertThat(manifests.delete(repository, stored.digest())).as("already gone").isFalse();
    }

    private void putBlobs(TestImage image) {
        blobs.ingest(Digest.parse(image.configDigest()), new java.io.ByteArrayInputStream(image.config()));
        blobs.ingest(Digest.parse(image.layerDigest()), new java.io.ByteArrayInputStream(image.layer()));
    }

    private ManifestInfo put(byte[] manifest) {
        Digest digest = Digest.parse(TestImage.sha256(manifest));
        ManifestInfo stored = manifests.put(repository, digest, manifest, parser.parse(manifest, TestImage.OCI_MANIFEST));
        entityManager.flush();
        return stored;
    }
}
