package io.wharf.api.v2;

import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.TokenService;
import org.jspecify.annotations.Nullable;

import java.util.Set;

/**
 * Who is calling {@code /v2} and what they may do. With a token, the token's {@code access} claim is
 * the authority on repositories; with Basic credentials, the {@link AccessPolicy} is asked directly.
 *
 * @param token the verified token, or null for Basic credentials
 */
record RegistryCaller(Principal principal, TokenService.@Nullable Claims token, AccessPolicy policy) {

    static final String ATTRIBUTE = "io.wharf.api.v2.RegistryCaller";

    /** The repository actions granted on {@code repository}. */
    Set<String> actions(String repository) {
        return token != null ? token.actions("repository", repository) : policy.repositoryActions(principal, repository);
    }

    /** Whether the caller may pull from (and so see) {@code repository}. */
    boolean mayPull(String repository) {
        Set<String> actions = actions(repository);
        return actions.contains(AccessPolicy.PULL) || actions.contains("*");
    }

    /** Whether the caller may see {@code repository} in the catalog (by identity: the token only scopes the catalog). */
    boolean maySee(String repository) {
        return policy.mayPull(principal, repository);
    }
}
