package io.wharf.retention.policy;

import io.wharf.core.tagrule.Selector;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.jspecify.annotations.Nullable;

/** One row of {@code retention_rule}. */
@Embeddable
class RuleColumns {

    @Column(nullable = false)
    boolean disabled;

    @Column(nullable = false)
    String template = "";

    @Column
    @Nullable Integer param;

    @Column(name = "tag_decoration", nullable = false)
    String tagDecoration = "";

    @Column(name = "tag_pattern", nullable = false)
    String tagPattern = "";

    @Column(nullable = false)
    boolean untagged;

    @Column(name = "repository_decoration", nullable = false)
    String repositoryDecoration = "";

    @Column(name = "repository_pattern", nullable = false)
    String repositoryPattern = "";

    protected RuleColumns() {
    }

    RuleColumns(RetentionRule rule) {
        disabled = rule.disabled();
        template = rule.template().harborName();
        param = rule.param();
        tagDecoration = rule.tags().decoration();
        tagPattern = rule.tags().pattern();
        untagged = rule.untagged();
        repositoryDecoration = rule.repositories().decoration();
        repositoryPattern = rule.repositories().pattern();
    }

    RetentionRule view() {
        return new RetentionRule(disabled, Template.of(template), param, new Selector(tagDecoration, tagPattern), untagged,
            new Selector(repositoryDecoration, repositoryPattern));
    }
}
