package io.wharf.core.quota;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code quota} table: one row per project, with its storage limit. Runs in the caller's transaction. */
@Component
class QuotaTable {

    private static final String ROW = """
        SELECT q.id, q.project_id, p.name, u.username, q.hard_storage, q.created_at, q.updated_at
        FROM quota q JOIN project p ON p.id = q.project_id LEFT JOIN wharf_user u ON u.id = p.owner_id
        """;

    /** A quota row with its project's name and owner; {@code used} is added by the service. */
    record Row(long id, long projectId, String project, @Nullable String ownerName, long hard, OffsetDateTime createdAt,
               OffsetDateTime updatedAt) {

        Quota withUsage(long used) {
            return new Quota(id, projectId, project, ownerName, hard, used, createdAt, updatedAt);
        }
    }

    /** A project's id and limit, as a push needs them. */
    record Limit(long projectId, long hard) {
    }

    private final JdbcClient jdbc;

    QuotaTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long projectId, long hard, OffsetDateTime now) {
        jdbc.sql("INSERT INTO quota (project_id, hard_storage, created_at, updated_at) VALUES (?, ?, ?, ?)")
            .params(projectId, hard, now, now).update();
    }

    /** The limit of project {@code name}, read without a lock. */
    Optional<Limit> limit(String name) {
        return jdbc.sql("SELECT q.project_id, q.hard_storage FROM quota q JOIN project p ON p.id = q.project_id WHERE p.name = ?")
            .param(name).query((rs, n) -> new Limit(rs.getLong(1), rs.getLong(2))).optional();
    }

    /**
     * The project's limit, its row locked until the transaction ends: pushes into the project wait here
     * for each other, on every node, so their checks and links happen one after the other.
     */
    OptionalLong lockLimit(long projectId) {
        return jdbc.sql("SELECT hard_storage FROM quota WHERE project_id = ? FOR UPDATE").param(projectId)
            .query(Long.class).optional().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Every quota, or only the project's, by id. */
    List<Row> rows(@Nullable Long projectId) {
        return projectId == null
            ? jdbc.sql(ROW + " ORDER BY q.id").query(QuotaTable::row).list()
            : jdbc.sql(ROW + " WHERE q.project_id = ? ORDER BY q.id").param(projectId).query(QuotaTable::row).list();
    }

    Optional<Row> row(long id) {
        return jdbc.sql(ROW + " WHERE q.id = ?").param(id).query(QuotaTable::row).optional();
    }

    Optional<Row> rowOfProject(long projectId) {
        return rows(projectId).stream().findFirst();
    }

    /** Sets the limit; returns whether the quota exists. */
    boolean update(long id, long hard, OffsetDateTime now) {
        return jdbc.sql("UPDATE quota SET hard_storage = ?, updated_at = ? WHERE id = ?").params(hard, now, id).update() > 0;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class));
    }
}
