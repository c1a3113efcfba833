package io.wharf.core.tagrule;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.registry.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Harbor's doublestar selectors and decorations, and the refusal's words. */
class ImmutableTagsTest {

    private static ImmutableTagRule rule(long id, String tagDecoration, String tags, String repoDecoration, String repos) {
        return new ImmutableTagRule(id, 1, 0, false, Selector.tag("doublestar", tagDecoration, tags),
            Selector.repository("doublestar", repoDecoration, repos));
    }

    @Test
    void doublestarPatternsMatchTheRepositoryPathInsideItsProject() {
        RepositoryName nested = RepositoryName.of("library/team/app");
        assertThat(ImmutableTags.pathInProject(nested)).isEqualTo("team/app");
        assertThat(rule(1, "matches", "v*", "repoMatches", "*").selects("team/app", "v1")).as("* stays in one component").isFalse();
        assertThat(rule(1, "matches", "v*", "repoMatches", "**").selects("team/app", "v1")).isTrue();
        assertThat(rule(1, "matches", "{v1,release-?}", "repoMatches", "team/**").selects("team/app", "release-2")).isTrue();
        assertThat(rule(1, "matches", "{v1,release-?}", "repoMatches", "team/**").selects("team/app", "release-10")).isFalse();
        assertThat(rule(1, "excludes", "dev-*", "repoExcludes", "tmp/**").selects("app", "1.0")).isTrue();
        assertThat(rule(1, "excludes", "dev-*", "repoExcludes", "tmp/**").selects("app", "dev-1")).isFalse();
        assertThat(rule(1, "excludes", "dev-*", "repoExcludes", "tmp/**").selects("tmp/x", "1.0")).isFalse();
    }

    @Test
    void theRefusalIsAPreconditionNamingTheTagAndTheRule() {
        RepositoryName repo = RepositoryName.of("library/app");
        List<ImmutableTagRule> rules = List.of(rule(7, "excludes", "latest", "repoMatches", "**"));
        assertThat(ImmutableTags.firstImmutable(rules, repo, List.of("latest"))).isEmpty();
        ImmutableTags.Match match = ImmutableTags.firstImmutable(rules, repo, List.of("latest", "1.0")).orElseThrow();
        var refused = ImmutableTags.refused(repo, match, "overwritten");
        assertThat(refused.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(refused.status()).isEqualTo(412);
        assertThat(refused.clientMessage()).isEqualTo("the tag library/app:1.0 is immutable and cannot be overwritten "
            + "(immutable tag rule 7 (repositories matching **, tags excluding latest))");
    }
}
