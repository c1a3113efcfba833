package io.wharf.core.tagrule;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.RepositoryName;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which tags are immutable: those a rule of their project that is not disabled selects. The rules are
 * read from the database at each check (no node keeps a copy), within the caller's transaction. Every
 * writer of tags asks here: the registry's manifest push and deletes, the artifact API's copy, retention.
 */
@Component
public class ImmutableTags {

    private final ImmutableTagRuleRepository rules;
    private final ProjectService projects;

    ImmutableTags(ImmutableTagRuleRepository rules, ProjectService projects) {
        this.rules = rules;
        this.projects = projects;
    }

    /** A tag that a rule makes immutable. */
    public record Match(String tag, ImmutableTagRule rule) {
    }

    /** The enabled rules of the repository's project, by priority; empty for an unknown project. */
    @Transactional(readOnly = true)
    public List<ImmutableTagRule> rulesOf(RepositoryName repository) {
        return projects.find(repository.project())
            .map(Project::id)
            .map(id -> rules.findByProjectIdAndDisabledFalseOrderByPriorityAscIdAsc(id).stream().map(ImmutableTagRuleEntity::view).toList())
            .orElse(List.of());
    }

    /** The first of {@code tags} of the repository that one of {@code rules} makes immutable, with the first such rule. */
    public static Optional<Match> firstImmutable(List<ImmutableTagRule> rules, RepositoryName repository, Collection<String> tags) {
        String path = pathInProject(repository);
        for (String tag : tags) {
            for (ImmutableTagRule rule : rules) {
                if (rule.selects(path, tag)) {
                    return Optional.of(new Match(tag, rule));
                }
            }
        }
        return Optional.empty();
    }

    /** The first of {@code tags} of the repository that an enabled rule of its project makes immutable. */
    @Transactional(readOnly = true)
    public Optional<Match> firstImmutable(RepositoryName repository, Collection<String> tags) {
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        return firstImmutable(rulesOf(repository), repository, tags);
    }

    /**
     * Refuses to {@code action} (overwrite, delete) the repository's {@code tags} when one is immutable.
     *
     * @throws PlatformException {@link ErrorCode#PRECONDITION} (412, as Harbor), whose message names the tag and the rule
     */
    @Transactional(readOnly = true)
    public void requireMutable(RepositoryName repository, Collection<String> tags, String action) {
        firstImmutable(repository, tags).ifPresent(match -> {
            throw refused(repository, match, action);
        });
    }

    /** The error for {@code match}: {@link ErrorCode#PRECONDITION} with a message naming the tag and the rule. */
    public static PlatformException refused(RepositoryName repository, Match match, String action) {
        return PlatformException.withMessage(ErrorCode.PRECONDITION, "the tag " + repository + ":" + match.tag()
            + " is immutable and cannot be " + action + " (" + match.rule().describe() + ")");
    }

    /** The repository's path inside its project: {@code team/app} for {@code library/team/app}. */
    public static String pathInProject(RepositoryName repository) {
        return repository.value().substring(repository.project().length() + 1);
    }
}
