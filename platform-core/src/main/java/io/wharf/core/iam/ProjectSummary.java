package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * What a project holds, as Harbor's project summary reports it.
 *
 * @param repositoryCount the number of repositories in the project
 * @param memberCounts    the number of members per role (every role present, 0 when none), or null
 *                        when the caller may not see the project's members
 */
public record ProjectSummary(long repositoryCount, @Nullable Map<Role, Long> memberCounts) {
}
