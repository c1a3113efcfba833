package io.wharf.core.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** One audited event. */
@Entity
@Table(name = "audit_log")
class AuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "occurred_at", nullable = false)
    OffsetDateTime occurredAt;

    @Column
    @Nullable String username;

    @Column(nullable = false)
    String operation;

    @Column(name = "resource_type", nullable = false)
    String resourceType;

    @Column
    @Nullable String resource;

    @Column(nullable = false)
    String outcome;

    @Column(name = "remote_addr")
    @Nullable String remoteAddr;

    @Column
    @Nullable String detail;

    /** The project the resource belongs to, for the project's audit log; null for accounts, logins and tokens. */
    @Column
    @Nullable String project;

    protected AuditEntity() {
    }

    AuditEntity(io.wharf.core.event.DomainEvent event) {
        this.occurredAt = event.occurredAt().atOffset(java.time.ZoneOffset.UTC);
        this.username = truncate(event.actor(), 255);
        this.operation = event.operation();
        this.resourceType = event.resourceType();
        this.resource = truncate(event.resource(), 512);
        this.outcome = event.success() ? "success" : "failure";
        this.remoteAddr = truncate(event.remoteAddr(), 64);
        this.detail = truncate(event.detail(), 1024);
        this.project = truncate(projectOf(event.resourceType(), event.resource()), 255);
    }

    /**
     * The project of an event's resource, from the resource names the events use: a project's name (for
     * a project and its quota);
     * {@code <project>:<user>} for members; {@code robot$<project>+<name>} for project robots;
     * {@code <project>/<repo>:<reference>} or {@code <project>/<repo>@<digest>} for artifacts and blobs.
     * Null for everything else (users, logins, tokens, system robots). V5_1's backfill follows the same rules.
     */
    static @Nullable String projectOf(String resourceType, @Nullable String resource) {
        if (resource == null) {
            return null;
        }
        return switch (resourceType) {
            case "project", "quota" -> resource;
            case "member" -> before(resource, ":");
            case "robot" -> resource.startsWith("robot$") && resource.contains("+")
                ? resource.substring("robot$".length(), resource.indexOf('+')) : null;
            case "artifact", "blob" -> before(resource, "/");
            default -> null;
        };
    }

    private static @Nullable String before(String value, String separator) {
        int at = value.indexOf(separator);
        return at > 0 ? value.substring(0, at) : null;
    }

    AuditRecord toRecord() {
        return new AuditRecord(id, occurredAt, username, operation, resourceType, resource, outcome, remoteAddr, detail);
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
