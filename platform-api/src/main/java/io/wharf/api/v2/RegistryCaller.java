package io.wharf.api.v2;

import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.TokenService;
import org.jspecify.annotations.Nullable;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Who is calling {@code /v2} and what they may do. With a token, the token's {@code access} claim is
 * the authority on repositories, and the caller's identity (its {@code sub}) is looked up only when
 * a decision needs it (catalog, automatic mounts); with Basic credentials, the {@link AccessPolicy}
 * is asked directly.
 */
final class RegistryCaller {

    static final String ATTRIBUTE = "io.wharf.api.v2.RegistryCaller";

    private final Supplier<Principal> identity;
    private final TokenService.@Nullable Claims token;
    private final AccessPolicy policy;
    private @Nullable Principal principal;

    RegistryCaller(Supplier<Principal> identity, TokenService.@Nullable Claims token, AccessPolicy policy) {
        this.identity = identity;
        this.token = token;
        this.policy = policy;
    }

    /** The caller's identity. */
    Principal principal() {
        if (principal == null) {
            principal = identity.get();
        }
        return principal;
    }

    /** The verified token, or null for Basic credentials. */
    TokenService.@Nullable Claims token() {
        return token;
    }

    /** The repository actions granted on {@code repository}. */
    Set<String> actions(String repository) {
        return token != null ? token.actions("repository", repository) : policy.repositoryActions(principal(), repository);
    }

    /** Whether the caller may pull from {@code repository}: with a token, only if the token grants it. */
    boolean mayPull(String repository) {
        Set<String> actions = actions(repository);
        return actions.contains(AccessPolicy.PULL) || actions.contains("*");
    }

    /**
     * Whether the caller's identity may pull from (and so see) {@code repository}: for the catalog and
     * for mounts without {@code from}, whose sources a client cannot have asked a token for.
     */
    boolean maySee(String repository) {
        return policy.mayPull(principal(), repository);
    }

    /** The caller's name for the audit log, null when anonymous. */
    @Nullable String auditName() {
        if (token != null) {
            return token.subject().isEmpty() ? null : token.subject();
        }
        return principal().isAnonymous() ? null : principal().name();
    }
}
