package io.wharf.api.iam;

import io.wharf.api.security.AuthenticationChallenge;
import io.wharf.api.security.CallerArgumentResolver;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.Role;
import org.springframework.stereotype.Component;

/** The API's permission checks: 401 for anonymous callers, 403 for callers without the right. */
@Component
class ApiAccess {

    private final AccessPolicy policy;

    ApiAccess(AccessPolicy policy) {
        this.policy = policy;
    }

    void requireAuthenticated(Principal caller) {
        if (caller.isAnonymous()) {
            throw new AuthenticationChallenge(CallerArgumentResolver.BASIC_CHALLENGE, "authentication required");
        }
    }

    void requireUser(Principal caller) {
        requireAuthenticated(caller);
        if (caller.kind() != Principal.Kind.USER) {
            throw new PlatformException(ErrorCode.DENIED, "robot accounts cannot do this");
        }
    }

    void requireSysadmin(Principal caller) {
        requireAuthenticated(caller);
        if (!caller.sysadmin()) {
            throw new PlatformException(ErrorCode.DENIED, "only system administrators can do this");
        }
    }

    void require(Principal caller, Project project, Role.Capability capability) {
        if (!policy.can(caller, project, capability)) {
            requireAuthenticated(caller);
            throw new PlatformException(ErrorCode.DENIED, "not allowed in project " + project.name());
        }
    }

    boolean can(Principal caller, Project project, Role.Capability capability) {
        return policy.can(caller, project, capability);
    }

    AccessPolicy policy() {
        return policy;
    }
}
