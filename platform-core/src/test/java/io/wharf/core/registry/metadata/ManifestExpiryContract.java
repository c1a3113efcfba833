package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobStore;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.inmemory.InMemoryStorageDriver;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry's selection and conditional delete of cached manifests ({@link ManifestStore#idleCached},
 * {@link ManifestStore#deleteIfIdle}) in the database: only manifests of proxy-cache projects, last
 * pulled (never pulled: stored) before the cutoff, that no index lists and no referrer names as its
 * subject; and the delete checks all of it again, so a pull recorded after the selection keeps the
 * manifest. Extended once per database; each test runs in a transaction that is rolled back.
 */
@DataJpaTest(properties = "spring.flyway.locations=classpath:db/migration,classpath:db/vendor/{vendor}")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({ManifestStore.class, PullStore.class, BlobStore.class, ManifestExpiryContract.Storage.class, io.wharf.core.TestClock.class})
abstract class ManifestExpiryContract {

    /** Blob bytes are not read here. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Storage {

        @Bean
        StorageDriver storageDriver() {
            return new InMemoryStorageDriver();
        }
    }

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime CUTOFF = NOW.minus(Duration.ofDays(7));
    private static final OffsetDateTime LONG_AGO = NOW.minus(Duration.ofDays(10));
    private static final OffsetDateTime LATELY = NOW.minus(Duration.ofDays(1));

    private static final Digest IDLE = digest('1');
    private static final Digest NEVER_PULLED_OLD = digest('2');
    private static final Digest RECENT = digest('3');
    private static final Digest NEVER_PULLED_NEW = digest('4');
    private static final Digest CHILD = digest('5');
    private static final Digest INDEX = digest('6');
    private static final Digest SUBJECT = digest('7');
    private static final Digest REFERRER = digest('8');
    private static final Digest LOCAL = digest('9');

    @Autowired
    ManifestStore manifests;

    @Autowired
    PullStore pulls;

    @Autowired
    JdbcTemplate jdbc;

    private long cache;
    private long local;

    @BeforeEach
    void projects() {
        jdbc.update("INSERT INTO registry_endpoint (name, type, url, created_at, updated_at) "
            + "VALUES ('hub', 'docker-hub', 'https://registry-1.docker.io', ?, ?)", NOW, NOW);
        long endpoint = jdbc.queryForObject("SELECT id FROM registry_endpoint WHERE name = 'hub'", Long.class);
        jdbc.update("INSERT INTO project (name, public, created_at, updated_at, registry_id) VALUES ('cache', TRUE, ?, ?, ?)",
            NOW, NOW, endpoint);
        jdbc.update("INSERT INTO project (name, public, created_at, updated_at) VALUES ('local', FALSE, ?, ?)", NOW, NOW);
        cache = repository("cache/app");
        local = repository("local/app");
        long idle = manifest(cache, IDLE, LONG_AGO, LONG_AGO, null);
        jdbc.update("INSERT INTO tag (repository_id, name, manifest_id, updated_at) VALUES (?, '1.0', ?, ?)", cache, idle, LONG_AGO);
        manifest(cache, NEVER_PULLED_OLD, LONG_AGO, null, null);
        manifest(cache, RECENT, LONG_AGO, LATELY, null);
        manifest(cache, NEVER_PULLED_NEW, LATELY, null, null);
        manifest(cache, CHILD, LONG_AGO, LONG_AGO, null);
        long index = manifest(cache, INDEX, LONG_AGO, LATELY, null);
        jdbc.update("INSERT INTO manifest_reference (manifest_id, position, kind, digest, media_type, size) "
            + "VALUES (?, 0, 'MANIFEST', ?, 'application/vnd.oci.image.manifest.v1+json', 2)", index, CHILD.toString());
        manifest(cache, SUBJECT, LONG_AGO, LONG_AGO, null);
        manifest(cache, REFERRER, LONG_AGO, LATELY, SUBJECT);
        manifest(local, LOCAL, LONG_AGO, LONG_AGO, null);
    }

    @Test
    void selectsIdleManifestsOfProxyCacheProjectsThatNothingKeeps() {
        assertThat(manifests.idleCached(CUTOFF, 0, 100)).extracting(IdleManifest::digest)
            .containsExactly(IDLE, NEVER_PULLED_OLD);
        assertThat(manifests.idleCached(CUTOFF, 0, 1)).extracting(IdleManifest::digest).as("limited").containsExactly(IDLE);
        long first = manifests.idleCached(CUTOFF, 0, 1).get(0).id();
        assertThat(manifests.idleCached(CUTOFF, first, 100)).extracting(IdleManifest::digest).as("after an id")
            .containsExactly(NEVER_PULLED_OLD);
        assertThat(manifests.idleCached(CUTOFF, 0, 1).get(0).repository()).isEqualTo(RepositoryName.of("cache/app"));
    }

    @Test
    void deletesAnIdleManifestWithItsTags() {
        assertThat(manifests.deleteIfIdle(cache, IDLE, CUTOFF)).isTrue();
        assertThat(manifests.deleteIfIdle(cache, NEVER_PULLED_OLD, CUTOFF)).isTrue();

        assertThat(manifests.find(cache, IDLE)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tag WHERE repository_id = ?", Long.class, cache)).isZero();
        assertThat(manifests.deleteIfIdle(cache, IDLE, CUTOFF)).as("already gone").isFalse();
    }

    @Test
    void aPullRecordedAfterTheSelectionKeepsTheManifest() {
        assertThat(manifests.idleCached(CUTOFF, 0, 100)).extracting(IdleManifest::digest).contains(IDLE);
        pulls.record(RepositoryName.of("cache/app"), IDLE, "1.0", 1, NOW);

        assertThat(manifests.deleteIfIdle(cache, IDLE, CUTOFF)).isFalse();
        assertThat(manifests.find(cache, IDLE)).isPresent();
    }

    @Test
    void neverDeletesWhatIsRecentKeptOrLocal() {
        assertThat(manifests.deleteIfIdle(cache, RECENT, CUTOFF)).as("pulled lately").isFalse();
        assertThat(manifests.deleteIfIdle(cache, NEVER_PULLED_NEW, CUTOFF)).as("stored lately").isFalse();
        assertThat(manifests.deleteIfIdle(cache, CHILD, CUTOFF)).as("an index lists it").isFalse();
        assertThat(manifests.deleteIfIdle(cache, SUBJECT, CUTOFF)).as("a referrer names it").isFalse();
        assertThat(manifests.deleteIfIdle(local, LOCAL, CUTOFF)).as("not a proxy-cache project").isFalse();
    }

    @Test
    void whatAnExpiredIndexOrReferrerKeptIsIdleOnceTheyAreGone() {
        jdbc.update("UPDATE manifest SET pulled_at = ? WHERE digest IN (?, ?)", LONG_AGO, INDEX.toString(), REFERRER.toString());
        assertThat(manifests.deleteIfIdle(cache, INDEX, CUTOFF)).isTrue();
        assertThat(manifests.deleteIfIdle(cache, REFERRER, CUTOFF)).isTrue();

        assertThat(manifests.idleCached(CUTOFF, 0, 100)).extracting(IdleManifest::digest).contains(CHILD, SUBJECT);
        assertThat(manifests.deleteIfIdle(cache, CHILD, CUTOFF)).isTrue();
        assertThat(manifests.deleteIfIdle(cache, SUBJECT, CUTOFF)).isTrue();
    }

    private long repository(String name) {
        jdbc.update("INSERT INTO repository (name, project, created_at, updated_at) VALUES (?, ?, ?, ?)",
            name, name.substring(0, name.indexOf('/')), NOW, NOW);
        return jdbc.queryForObject("SELECT id FROM repository WHERE name = ?", Long.class, name);
    }

    private long manifest(long repositoryId, Digest digest, OffsetDateTime pushedAt, @Nullable OffsetDateTime pulledAt,
                          @Nullable Digest subject) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM blob WHERE digest = ?", Long.class, digest.toString()) == 0) {
            jdbc.update("INSERT INTO blob (digest, size, created_at) VALUES (?, 2, ?)", digest.toString(), NOW);
        }
        jdbc.update("INSERT INTO manifest (repository_id, digest, media_type, size, subject_digest, pushed_at, pulled_at) "
            + "VALUES (?, ?, 'application/vnd.oci.image.manifest.v1+json', 2, ?, ?, ?)", repositoryId, digest.toString(),
            subject == null ? null : subject.toString(), pushedAt, pulledAt);
        return jdbc.queryForObject("SELECT id FROM manifest WHERE repository_id = ? AND digest = ?", Long.class,
            repositoryId, digest.toString());
    }

    private static Digest digest(char hex) {
        return Digest.parse("sha256:" + String.valueOf(hex).repeat(64));
    }
}
