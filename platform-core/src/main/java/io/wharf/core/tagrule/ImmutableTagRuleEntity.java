package io.wharf.core.tagrule;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A row of {@code immutable_tag_rule}. */
@Entity
@Table(name = "immutable_tag_rule")
class ImmutableTagRuleEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Nullable Long id;

    @Column(name = "project_id", nullable = false)
    long projectId;

    @Column(nullable = false)
    int priority;

    @Column(nullable = false)
    boolean disabled;

    @Column(name = "tag_decoration", nullable = false)
    String tagDecoration = "";

    @Column(name = "tag_pattern", nullable = false)
    String tagPattern = "";

    @Column(name = "repository_decoration", nullable = false)
    String repositoryDecoration = "";

    @Column(name = "repository_pattern", nullable = false)
    String repositoryPattern = "";

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt = OffsetDateTime.MIN;

    void apply(ImmutableTagRuleSpec spec) {
        priority = spec.priority();
        disabled = spec.disabled();
        tagDecoration = spec.tags().decoration();
        tagPattern = spec.tags().pattern();
        repositoryDecoration = spec.repositories().decoration();
        repositoryPattern = spec.repositories().pattern();
    }

    ImmutableTagRule view() {
        if (id == null) {
            throw new IllegalStateException("not saved");
        }
        return new ImmutableTagRule(id, projectId, priority, disabled, new Selector(tagDecoration, tagPattern),
            new Selector(repositoryDecoration, repositoryPattern));
    }
}
