package io.wharf.core.iam;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who is calling a use case, as the edge authenticated them: an identity ({@link Principal}), the
 * verified registry token when the caller presented one, and the address the call came from (for
 * the audit log). Use cases take a {@code Caller} and ask {@link AccessPolicy} what it may do.
 *
 * <p>With a token, the token's {@code access} claim is the authority on repositories, and the
 * identity behind its {@code sub} is looked up only when a decision needs it (catalog, mounts
 * without {@code from}). One {@code Caller} lives for one request; it remembers the repository
 * actions already decided for it, so a request that is checked at the edge and again in the use
 * case asks the database once.
 */
public final class Caller {

    private final Supplier<Principal> identity;
    private final TokenService.@Nullable Claims token;
    private final @Nullable String remoteAddr;
    private volatile @Nullable Principal principal;
    private final Map<String, Set<String>> decided = new ConcurrentHashMap<>();

    private Caller(Supplier<Principal> identity, TokenService.@Nullable Claims token, @Nullable String remoteAddr) {
        this.identity = identity;
        this.token = token;
        this.remoteAddr = remoteAddr;
    }

    /** A caller authenticated by credentials (or anonymous), calling from {@code remoteAddr}. */
    public static Caller of(Principal principal, @Nullable String remoteAddr) {
        Caller caller = new Caller(() -> principal, null, remoteAddr);
        caller.principal = principal;
        return caller;
    }

    /**
     * A caller that presented a verified registry token; {@code identity} resolves the token's
     * subject when a decision needs it, and is called at most once.
     */
    public static Caller withToken(TokenService.Claims token, Supplier<Principal> identity, @Nullable String remoteAddr) {
        return new Caller(identity, token, remoteAddr);
    }

    /** The caller's identity (looked up on first use for token callers). */
    public Principal principal() {
        Principal p = principal;
        if (p == null) {
            p = identity.get();
            principal = p;
        }
        return p;
    }

    /** The verified registry token, or null when the caller used credentials or none. */
    public TokenService.@Nullable Claims token() {
        return token;
    }

    /** The address the call came from, when known. */
    public @Nullable String remoteAddr() {
        return remoteAddr;
    }

    /** The caller's name for the audit log and events; null when anonymous. */
    public @Nullable String name() {
        if (token != null) {
            return token.subject().isEmpty() ? null : token.subject();
        }
        Principal p = principal();
        return p.isAnonymous() ? null : p.name();
    }

    /**
     * Whether Wharf itself calls (a job, a server-side copy). A token caller never is, so asking costs
     * no lookup of the token's account (the hot read paths ask on every request).
     */
    public boolean isSystem() {
        return token == null && principal().isSystem();
    }

    /** Whether a scanner calls with its scan credential; for a token caller, told by the token's subject. */
    public boolean isScanner() {
        return token != null ? token.subject().startsWith(ScanCredentialService.PREFIX) : principal().isScanner();
    }

    /** Whether the caller is anonymous (no credentials, or an anonymous token). */
    public boolean isAnonymous() {
        return name() == null;
    }

    /** The actions already decided for {@code repository} in this call, computed by {@code decide} once. */
    Set<String> decided(String repository, java.util.function.Function<String, Set<String>> decide) {
        return decided.computeIfAbsent(repository, decide);
    }

    @Override
    public String toString() {
        return "Caller[" + (name() == null ? "anonymous" : name()) + (token != null ? ", token" : "") + "]";
    }
}
