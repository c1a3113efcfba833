package io.wharf.core.iam;

/** A user's membership in a project. */
public record Member(long id, long projectId, long userId, String username, Role role) {
}
