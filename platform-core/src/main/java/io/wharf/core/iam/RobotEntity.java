package io.wharf.core.iam;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A robot account; its secret is kept only as a bcrypt hash (or, from before bcrypt, SHA-256 until its next login). */
@Entity
@Table(name = "robot")
class RobotEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String name;

    @Column
    @Nullable String description;

    @Column(nullable = false)
    String level;

    @Column(name = "project_id")
    @Nullable Long projectId;

    @Column(name = "secret_hash", nullable = false)
    String secretHash;

    @Column(nullable = false)
    boolean disabled;

    @Column(nullable = false)
    int duration;

    @Column(name = "expires_at")
    @Nullable OffsetDateTime expiresAt;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    /** Increased by every change; cached logins are valid only while it stands (see LoginService). */
    @jakarta.persistence.Version
    @Column(nullable = false)
    long version;

    /** Project name ({@code *} for all) to comma-separated actions. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "robot_permission", joinColumns = @JoinColumn(name = "robot_id"))
    @MapKeyColumn(name = "namespace")
    @Column(name = "actions")
    Map<String, String> permissions = new LinkedHashMap<>();

    protected RobotEntity() {
    }

    RobotEntity(String name, @Nullable String description, String level, @Nullable Long projectId, String secretHash,
                boolean disabled, int duration) {
        this.name = name;
        this.description = description;
        this.level = level;
        this.projectId = projectId;
        this.secretHash = secretHash;
        this.disabled = disabled;
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = this.createdAt;
        setDuration(duration);
    }

    void setDuration(int days) {
        this.duration = days;
        this.expiresAt = days < 0 ? null : createdAt.plusDays(days);
    }

    Robot toRobot() {
        Map<String, java.util.Set<String>> actions = new LinkedHashMap<>();
        permissions.forEach((namespace, list) -> actions.put(namespace, java.util.Set.of(list.split(","))));
        return new Robot(id, name, description, level, projectId, disabled, duration, expiresAt, createdAt, updatedAt, actions);
    }
}
