package io.wharf.retention.execution;

import io.wharf.core.artifact.RepositoryContents.StoredArtifact;
import io.wharf.retention.policy.RetentionRule;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a policy decides for one repository, as Harbor does: the rules are OR-ed. The repository is in
 * the policy's scope when an enabled rule's repository selector selects its path. Its candidates are
 * all its tagged artifacts, and its untagged ones when such a rule includes untagged artifacts. Each
 * such rule retains, among the artifacts it selects (a tag its tag selector selects, or untagged when
 * it includes those), what its template says; a candidate no rule retains is deleted, whole, with all
 * its tags: an artifact lives on while any of its tags keeps it.
 */
final class Evaluation {

    private Evaluation() {
    }

    /**
     * The decision about one candidate.
     *
     * @param reason the first rule that retains it ({@code rule 1: latestPushedK 3 ...}), or null when it is to be deleted
     */
    record Verdict(StoredArtifact artifact, @Nullable String reason) {
        boolean retained() {
            return reason != null;
        }
    }

    /** The rules that apply to the repository at {@code path} (inside its project): enabled, selecting it. */
    static List<RetentionRule> applicable(List<RetentionRule> rules, String path) {
        return rules.stream().filter(r -> !r.disabled() && r.repositories().selects(path)).toList();
    }

    /** The verdicts on the candidates among {@code artifacts} under the {@link #applicable} rules, oldest push first. */
    static List<Verdict> evaluate(List<RetentionRule> rules, List<StoredArtifact> artifacts, Instant now) {
        boolean untagged = rules.stream().anyMatch(RetentionRule::untagged);
        Map<StoredArtifact, String> reasons = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            RetentionRule rule = rules.get(i);
            String reason = "rule " + (i + 1) + ": " + rule.describe();
            for (StoredArtifact kept : retainedBy(rule, artifacts.stream().filter(a -> selects(rule, a)).toList(), now)) {
                reasons.putIfAbsent(kept, reason);
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (StoredArtifact artifact : artifacts) {
            if (!artifact.tags().isEmpty() || untagged) {
                verdicts.add(new Verdict(artifact, reasons.get(artifact)));
            }
        }
        return verdicts;
    }

    private static boolean selects(RetentionRule rule, StoredArtifact artifact) {
        return artifact.tags().isEmpty() ? rule.untagged() : artifact.tags().stream().anyMatch(rule.tags()::selects);
    }

    private static List<StoredArtifact> retainedBy(RetentionRule rule, List<StoredArtifact> selected, Instant now) {
        int n = rule.param() == null ? 0 : rule.param();
        Comparator<StoredArtifact> newestPush = Comparator.comparing(StoredArtifact::pushedAt).reversed();
        return switch (rule.template()) {
            case ALWAYS -> selected;
            case LATEST_PUSHED_K -> selected.stream().sorted(newestPush).limit(n).toList();
            case LATEST_PULLED_N -> selected.stream()
                .sorted(Comparator.comparing(StoredArtifact::pulledAt, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(newestPush))
                .limit(n).toList();
            case N_DAYS_SINCE_LAST_PUSH -> selected.stream().filter(a -> within(a.pushedAt(), n, now)).toList();
            case N_DAYS_SINCE_LAST_PULL -> selected.stream().filter(a -> within(a.pulledAt(), n, now)).toList();
        };
    }

    private static boolean within(@Nullable OffsetDateTime at, int days, Instant now) {
        return at != null && !at.toInstant().isBefore(now.minus(Duration.ofDays(days)));
    }
}
