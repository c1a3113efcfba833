package io.wharf.api.security;

import io.wharf.api.v2.V2Route;
import io.wharf.api.v2.V2RouteFilter;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.ScanCredentialService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.util.function.Supplier;

/**
 * The edge check of {@code /v2}: every endpoint needs a caller that authenticated (anonymous callers
 * are sent for a token, which may be an anonymous one), and the repository endpoints need the action
 * the method implies ({@link #neededAction}) on that repository, as {@link AccessPolicy} decides for
 * the caller's token or identity. The use cases check again; this check is here so that a missing
 * grant is answered with the token challenge clients understand. A write into a proxy-cache project is
 * a {@link ProxyCacheWrite}: no token can grant it, so it is answered 403 {@code DENIED} with the reason
 * (as Harbor does), never with a challenge that sends the client for another token.
 */
final class RegistryAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    private final AccessPolicy policy;
    private final ObjectProvider<ProjectService> projects;

    /** {@code projects} may be absent (web slices): then no write is recognised as a proxy-cache write. */
    RegistryAuthorization(AccessPolicy policy, ObjectProvider<ProjectService> projects) {
        this.policy = policy;
        this.projects = projects;
    }

    /** A denied push or delete in a proxy-cache project, which only its upstream fills. */
    static final class ProxyCacheWrite extends AuthorizationDecision {

        private final String project;

        ProxyCacheWrite(String project) {
            super(false);
            this.project = project;
        }

        String detail() {
            return "project " + project + " is a proxy cache: it is filled from its upstream registry only, "
                + "and cannot be pushed to or deleted from";
        }
    }

    @Override
    public @Nullable AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
                                                   RequestAuthorizationContext context) {
        Object attribute = context.getRequest().getAttribute(V2Route.ATTRIBUTE);
        if (!(attribute instanceof V2Route route)) {
            // a path that did not parse goes on to its handler, which answers with the parse error;
            // anything else reached the internal mapping without V2RouteFilter and is refused
            return new AuthorizationDecision(context.getRequest().getAttribute(V2RouteFilter.ERROR_ATTRIBUTE) != null);
        }
        Authentication auth = authentication.get();
        if (auth == null || !(auth.getPrincipal() instanceof Caller caller) || auth instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        if (route.kind() == V2Route.Kind.CATALOG && caller.name() != null && caller.name().startsWith(ScanCredentialService.PREFIX)) {
            return new AuthorizationDecision(false); // a scan credential pulls its one repository, it lists nothing
        }
        String needed = neededAction(route, context.getRequest().getMethod());
        if (needed == null || route.name() == null) {
            return new AuthorizationDecision(true);
        }
        if (policy.repositoryActions(caller, route.repository()).contains(needed)) {
            return new AuthorizationDecision(true);
        }
        String project = route.repository().project();
        ProjectService service = projects.getIfAvailable();
        if (!AccessPolicy.PULL.equals(needed) && service != null && service.find(project).filter(Project::isProxyCache).isPresent()) {
            return new ProxyCacheWrite(project);
        }
        return new AuthorizationDecision(false);
    }

    /** The repository action a request needs, or null when it needs only an authenticated caller. */
    static @Nullable String neededAction(V2Route route, String method) {
        return switch (route.kind()) {
            case BASE, CATALOG, INVALID -> null;
            case TAGS, REFERRERS -> AccessPolicy.PULL;
            case MANIFEST -> switch (method) {
                case "PUT" -> AccessPolicy.PUSH;
                case "DELETE" -> AccessPolicy.DELETE;
                default -> AccessPolicy.PULL;
            };
            case BLOB -> "DELETE".equals(method) ? AccessPolicy.DELETE : AccessPolicy.PULL;
            case UPLOADS, UPLOAD -> AccessPolicy.PUSH;
        };
    }
}
