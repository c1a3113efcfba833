package io.wharf.retention.policy;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A row of {@code retention_policy} with its rules. */
@Entity
@Table(name = "retention_policy")
class RetentionPolicyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Nullable Long id;

    @Column(name = "project_id", nullable = false)
    long projectId;

    @Column
    @Nullable String cron;

    @Column
    @Nullable String creator;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt = OffsetDateTime.MIN;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt = OffsetDateTime.MIN;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "retention_rule", joinColumns = @JoinColumn(name = "policy_id"))
    @OrderColumn(name = "rule_index")
    List<RuleColumns> rules = new ArrayList<>();

    long id() {
        if (id == null) {
            throw new IllegalStateException("not saved");
        }
        return id;
    }

    RetentionPolicy view() {
        return new RetentionPolicy(id(), projectId, rules.stream().map(RuleColumns::view).toList(), cron, creator, createdAt,
            updatedAt);
    }
}
