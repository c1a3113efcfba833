package io.wharf.replication.proxy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When each cached tag of a proxy-cache project was last compared with the upstream, and the digest
 * it named then ({@code proxy_check}), shared by all nodes: within the tag TTL no node asks the
 * upstream again.
 */
@Component
class ProxyChecks {

    /** A tag's last check. */
    record Check(String digest, Instant checkedAt) {
    }

    private final JdbcClient jdbc;

    ProxyChecks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Check> find(String repository, String reference) {
        return jdbc.sql("SELECT digest, checked_at FROM proxy_check WHERE repository = ? AND reference = ?")
            .params(repository, reference)
            .query((rs, n) -> new Check(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
            .optional();
    }

    void record(String repository, String reference, String digest, Instant at) {
        OffsetDateTime time = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE proxy_check SET digest = ?, checked_at = ? WHERE repository = ? AND reference = ?")
            .params(digest, time, repository, reference).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO proxy_check (repository, reference, digest, checked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(repository, reference, digest, time).update();
        }
    }
}
