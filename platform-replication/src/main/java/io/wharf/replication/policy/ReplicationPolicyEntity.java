package io.wharf.replication.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A policy row; {@code filters} is Harbor's filter list as JSON. */
@Entity
@Table(name = "replication_policy")
class ReplicationPolicyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String name;

    @Column
    @Nullable String description;

    @Column(name = "src_registry_id")
    @Nullable Long srcRegistryId;

    @Column(name = "dest_registry_id")
    @Nullable Long destRegistryId;

    @Column(name = "dest_namespace")
    @Nullable String destNamespace;

    @Column(name = "dest_namespace_replace_count", nullable = false)
    int destNamespaceReplaceCount;

    @Column(name = "trigger_type", nullable = false)
    String triggerType;

    @Column
    @Nullable String cron;

    @Column(nullable = false)
    String filters;

    @Column(name = "override_existing", nullable = false)
    boolean override;

    @Column(name = "replicate_deletion", nullable = false)
    boolean replicateDeletion;

    @Column(nullable = false)
    boolean enabled;

    @Column(nullable = false)
    int concurrency;

    @Column(name = "speed_kb", nullable = false)
    int speedKb;

    @Column(name = "rate_limit_floor", nullable = false)
    int rateLimitFloor;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    protected ReplicationPolicyEntity() {
    }

    ReplicationPolicyEntity(OffsetDateTime now) {
        this.createdAt = now;
        this.updatedAt = now;
    }
}
