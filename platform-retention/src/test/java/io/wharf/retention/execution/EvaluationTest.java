package io.wharf.retention.execution;

import io.wharf.core.artifact.RepositoryContents.StoredArtifact;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.tagrule.Selector;
import io.wharf.retention.policy.RetentionPolicyService;
import io.wharf.retention.policy.RetentionRule;
import io.wharf.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each template, the filters and the OR of rules, on artifacts dated against a {@link MutableClock}. */
class EvaluationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    private StoredArtifact artifact(String tag, int pushedDaysAgo, Integer pulledDaysAgo) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return new StoredArtifact(Digest.sha256(tag.getBytes(StandardCharsets.UTF_8)), now.minusDays(pushedDaysAgo),
            pulledDaysAgo == null ? null : now.minusDays(pulledDaysAgo), tag.isEmpty() ? List.of() : Arrays.asList(tag.split(",")));
    }

    private static RetentionRule rule(String template, Integer param, String tagDecoration, String tags, boolean untagged) {
        return RetentionPolicyService.rule(false, template, param == null ? Map.of() : Map.of(template, param),
            Selector.tag("doublestar", tagDecoration, tags), untagged, Selector.repository("doublestar", "repoMatches", "**"));
    }

    private List<String> kept(List<RetentionRule> rules, List<StoredArtifact> artifacts) {
        return Evaluation.evaluate(rules, artifacts, clock.instant()).stream().filter(Evaluation.Verdict::retained)
            .map(v -> String.join(",", v.artifact().tags())).toList();
    }

    private final List<StoredArtifact> five = List.of(artifact("a", 50, null), artifact("b", 40, 1), artifact("c", 30, 20),
        artifact("d", 20, 5), artifact("e", 10, null));

    @Test
    void latestPushedKKeepsTheNewestPushes() {
        assertThat(kept(List.of(rule("latestPushedK", 2, "matches", "**", false)), five)).containsExactly("d", "e");
        assertThat(kept(List.of(rule("latestPushedK", 0, "matches", "**", false)), five)).isEmpty();
    }

    @Test
    void latestPulledNKeepsTheLastPulledAndNeverPulledLast() {
        assertThat(kept(List.of(rule("latestPulledN", 2, "matches", "**", false)), five)).containsExactly("b", "d");
        assertThat(kept(List.of(rule("latestPulledN", 4, "matches", "**", false)), five)).containsExactly("b", "c", "d", "e");
    }

    @Test
    void daysSinceLastPushAndPullFollowTheClock() {
        assertThat(kept(List.of(rule("nDaysSinceLastPush", 30, "matches", "**", false)), five)).containsExactly("c", "d", "e");
        assertThat(kept(List.of(rule("nDaysSinceLastPull", 7, "matches", "**", false)), five)).containsExactly("b", "d");
        clock.advance(Duration.ofDays(3));
        assertThat(kept(List.of(rule("nDaysSinceLastPull", 7, "matches", "**", false)), five)).containsExactly("b");
        assertThat(kept(List.of(rule("nDaysSinceLastPush", 30, "matches", "**", false)), five)).containsExactly("d", "e");
    }

    @Test
    void rulesAreOredAndTagFiltersSelectWhatEachRuleDecides() {
        List<StoredArtifact> artifacts = List.of(artifact("v1", 30, null), artifact("v2", 20, null), artifact("dev-1", 10, null),
            artifact("v3,latest", 5, null), artifact("", 1, null));
        List<RetentionRule> rules = List.of(rule("latestPushedK", 1, "matches", "v*", false),
            rule("always", null, "excludes", "{v*,latest}", false));
        assertThat(kept(rules, artifacts)).as("v3 by the first rule (an artifact lives while one tag keeps it), dev-1 by the second")
            .containsExactly("dev-1", "v3,latest");
        assertThat(Evaluation.evaluate(rules, artifacts, clock.instant())).as("untagged artifacts are left alone").hasSize(4);

        List<RetentionRule> withUntagged = List.of(rule("latestPushedK", 1, "matches", "nothing", true));
        assertThat(Evaluation.evaluate(withUntagged, artifacts, clock.instant())).hasSize(5);
        assertThat(kept(withUntagged, artifacts)).containsExactly("");
    }

    @Test
    void onlyEnabledRulesWhoseRepositorySelectorSelectsApply() {
        RetentionRule app = RetentionPolicyService.rule(false, "always", Map.of(), Selector.tag("doublestar", "matches", "**"), false,
            Selector.repository("doublestar", "repoMatches", "{app,web}"));
        RetentionRule disabled = RetentionPolicyService.rule(true, "always", Map.of(), Selector.tag("doublestar", "matches", "**"), false,
            Selector.repository("doublestar", "repoMatches", "**"));
        RetentionRule notTools = RetentionPolicyService.rule(false, "always", Map.of(), Selector.tag("doublestar", "matches", "**"), false,
            Selector.repository("doublestar", "repoExcludes", "tools/**"));
        assertThat(Evaluation.applicable(List.of(app, disabled, notTools), "web")).containsExactly(app, notTools);
        assertThat(Evaluation.applicable(List.of(app, disabled, notTools), "tools/lint")).isEmpty();
        assertThat(Evaluation.applicable(List.of(app, disabled, notTools), "team/app")).containsExactly(notTools);
    }

    @Test
    void badTemplatesAndParametersAreRefused() {
        assertThatThrownBy(() -> rule("latestPushedX", 1, "matches", "**", false)).isInstanceOf(PlatformException.class)
            .hasMessageContaining("unknown rule template");
        assertThatThrownBy(() -> rule("latestPushedK", null, "matches", "**", false)).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> RetentionPolicyService.rule(false, "nDaysSinceLastPush", Map.of("nDaysSinceLastPush", 1.5),
            Selector.tag(null, "matches", "**"), false, Selector.repository(null, "repoMatches", "**"))).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> Selector.tag("doublestar", "repoMatches", "**")).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> Selector.repository("doublestar", "repoMatches", "{a")).isInstanceOf(PlatformException.class);
    }
}
