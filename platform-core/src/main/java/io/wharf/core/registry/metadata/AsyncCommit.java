package io.wharf.core.registry.metadata;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Lets the current transaction commit without waiting for PostgreSQL to flush its write-ahead log
 * ({@code SET LOCAL synchronous_commit TO OFF}, for that transaction only): for rows whose loss in a
 * crash of the database server costs a client one retry and nothing else. Upload sessions are such
 * rows: a session lost with the last few hundred milliseconds of commits answers
 * {@code BLOB_UPLOAD_UNKNOWN} (or 416 for a lost chunk), and the client uploads again; the blob
 * and its link are committed durably. A crash of Wharf itself loses nothing (PostgreSQL has the
 * commit). On other databases (the embedded H2) it does nothing.
 */
@Component
class AsyncCommit {

    private final JdbcTemplate jdbc;
    private volatile @Nullable Boolean postgres;

    AsyncCommit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Applies to the caller's transaction, which must be open. */
    void relax() {
        if (isPostgres()) {
            jdbc.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }

    private boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            known = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())));
            postgres = known;
        }
        return known;
    }
}
