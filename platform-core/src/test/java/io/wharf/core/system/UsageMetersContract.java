package io.wharf.core.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database-backed gauges on every database Wharf runs on: storage per project counts each blob
 * and manifest once per project however many of its repositories hold it, never counts another
 * project whose name starts alike, reports 0 for an empty project and -1 as the quota; upload
 * sessions are counted. Extended once per database.
 */
@DataJpaTest(properties = {"spring.flyway.locations=classpath:db/migration,classpath:db/vendor/{vendor}",
    "wharf.metrics.usage-refresh=1h"}) // one synchronous load, in the test's transaction (a background reload would not see its rows)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({UsageMeters.class, UsageMetersContract.Meters.class})
@EnableConfigurationProperties(MetricsProperties.class)
abstract class UsageMetersContract {

    @TestConfiguration
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void countsEachBlobOncePerProjectAndOpenUploads() {
        project("alpha");
        project("alphax");
        project("empty");
        long app = repository("alpha/app");
        long other = repository("alpha/team/other");
        long neighbour = repository("alphax/app");
        blob("sha256:aa", 100);
        blob("sha256:bb", 10);
        blob("sha256:cc", 1000);
        blob("sha256:mm", 5);
        for (long repository : new long[] {app, other}) {
            link(repository, "sha256:aa");
            link(repository, "sha256:bb");
        }
        link(neighbour, "sha256:cc");
        jdbc.update("INSERT INTO manifest (repository_id, digest, media_type, size, pushed_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)",
            app, "sha256:mm", "application/vnd.oci.image.manifest.v1+json", 5);
        upload("alpha/app");
        upload("alphax/app");

        // the first read loads the database and adds the projects' series
        assertThat(meters.get("wharf.uploads.in.progress").gauge().value()).isEqualTo(2);
        assertThat(used("alpha")).isEqualTo(115);
        assertThat(used("alphax")).isEqualTo(1000);
        assertThat(used("empty")).isZero();
        assertThat(meters.get("wharf.project.storage.quota").tag("project", "alpha").gauge().value()).isEqualTo(-1);
    }

    private double used(String project) {
        return meters.get("wharf.project.storage.used").tag("project", project).gauge().value();
    }

    private void project(String name) {
        jdbc.update("INSERT INTO project (name, public, created_at, updated_at) VALUES (?, FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", name);
    }

    private long repository(String name) {
        jdbc.update("INSERT INTO repository (name, project, created_at, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", name,
            name.substring(0, name.indexOf('/')));
        return jdbc.queryForObject("SELECT id FROM repository WHERE name = ?", Long.class, name);
    }

    private void blob(String digest, long size) {
        jdbc.update("INSERT INTO blob (digest, size, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)", digest, size);
    }

    private void link(long repository, String digest) {
        jdbc.update("INSERT INTO repository_blob (repository_id, digest, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)", repository, digest);
    }

    private void upload(String repository) {
        jdbc.update("INSERT INTO upload_session (id, repository_name, size, chunks, started_at, updated_at) "
            + "VALUES (?, ?, 0, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", UUID.randomUUID(), repository);
    }
}
