package io.wharf.core.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks credentials (users and robots) with abuse resistance: after {@code wharf.auth.max-failed-logins}
 * failures of one name within the window the name is locked for {@code wharf.auth.lockout-duration};
 * an unknown name, a wrong password and a locked name get the same answer; passwords and robot
 * secrets are compared by bcrypt (also run for unknown names). Every failure is counted
 * ({@code wharf.auth.failures}); every outcome is published ({@link LoginSucceeded},
 * {@link LoginFailed}) for the audit log.
 *
 * <p>Clients that send Basic credentials with every request, or ask the token endpoint for a token
 * before every pull and push ({@link #authenticateRequest}), are served from a short-lived cache of
 * successful checks, so bcrypt does not run per request (nor is a login audited per request; each
 * token is, asynchronously). The cache
 * is per node, so it is never trusted alone: an entry holds the account's {@link AccountStamp} (row
 * id and {@code @Version}) and is used only while the database still has that stamp; a recreated
 * account of the same name has another id. A password
 * change, a new robot secret, a disabled, changed or deleted account therefore takes effect on every
 * node at the next request; robot expiry is checked against the clock on every hit.
 */
@Service
public class LoginService {

    private static final Duration CACHE_TTL = Duration.ofMinutes(1);

    private final UserService users;
    private final RobotService robots;
    private final LoginAttemptRepository attempts;
    private final AuthProperties properties;
    private final ObjectProvider<MeterRegistry> meters;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Cache<String, Cached> cache;
    private final SecretKeySpec cacheKey;
    private final ObjectProvider<ScanCredentialService> scanCredentials;

    LoginService(UserService users, RobotService robots, LoginAttemptRepository attempts, AuthProperties properties,
                 ObjectProvider<MeterRegistry> meters, ApplicationEventPublisher events, Clock clock,
                 ObjectProvider<ScanCredentialService> scanCredentials) {
        this.scanCredentials = scanCredentials;
        this.users = users;
        this.robots = robots;
        this.attempts = attempts;
        this.properties = properties;
        this.meters = meters;
        // the failure counters exist from the start, so that a rate over them sees the first failure
        meters.ifAvailable(registry -> java.util.List.of("bad_credentials", "locked")
            .forEach(reason -> registry.counter("wharf.auth.failures", "reason", reason)));
        this.events = events;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL)
            .ticker(() -> clock.millis() * 1_000_000L).build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.cacheKey = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A successful check: the principal, the account's stamp, and a robot's expiry. */
    private record Cached(Principal principal, @Nullable AccountStamp stamp, @Nullable OffsetDateTime expiresAt) {
    }

    /**
     * Logs in (token endpoint, {@code docker login}, console): checks the credentials and publishes the outcome.
     *
     * @throws PlatformException {@link ErrorCode#UNAUTHORIZED} for bad credentials or a locked name
     */
    @Transactional(noRollbackFor = PlatformException.class)
    public Principal authenticate(String username, String password, @Nullable String remoteAddr) {
        return check(username, password, remoteAddr).principal();
    }

    /**
     * Like {@link #authenticate}, for credentials sent with every request: a successful check is
     * reused for a minute while the account's version in the database is unchanged.
     */
    public Principal authenticateRequest(String username, String password, @Nullable String remoteAddr) {
        if (username.startsWith(ScanCredentialService.PREFIX)) {
            return scanner(username, password, remoteAddr);
        }
        String key = cacheKey(username, password);
        Cached cached = cache.getIfPresent(key);
        if (cached != null && stamp(username).filter(s -> s.equals(cached.stamp())).isPresent()
            && (cached.expiresAt() == null || cached.expiresAt().toInstant().isAfter(clock.instant()))) {
            return cached.principal();
        }
        // the stamp is read before the check: a change racing the check leaves a stale stamp, never a stale login
        Optional<AccountStamp> stamp = stamp(username);
        Cached checked = check(username, password, remoteAddr);
        stamp.ifPresent(s -> cache.put(key, new Cached(checked.principal(), s, checked.expiresAt())));
        return checked.principal();
    }

    /**
     * The account's stamp now (row id and version): console sessions and refresh tokens record it and
     * stay valid only while it is unchanged (see {@link #sessionPrincipal}). Empty when there is no
     * such active account.
     */
    public Optional<AccountStamp> accountStamp(String username) {
        return stamp(username);
    }

    /**
     * The current principal of a console session opened by {@code username} when the account had
     * {@code stamp}: read afresh on every request, so a role or flag change counts at once, and empty
     * once the account changed (a new password, say), was deleted (even if recreated under the same
     * name) or is inactive, on any node.
     */
    @Transactional(readOnly = true)
    public Optional<Principal> sessionPrincipal(String username, AccountStamp stamp) {
        if (username.startsWith(Robot.PREFIX) || stamp(username).filter(stamp::equals).isEmpty()) {
            return Optional.empty();
        }
        return users.findByUsername(username).map(Principal::user);
    }

    /**
     * A scan credential: a cheap hash check, never cached, locked or audited on success (adapters
     * present it on every request); failures are counted and audited like any other.
     */
    private Principal scanner(String username, String password, @Nullable String remoteAddr) {
        ScanCredentialService credentials = scanCredentials.getIfAvailable();
        return (credentials == null ? Optional.<Principal>empty() : credentials.verify(username, password))
            .orElseThrow(() -> fail(username.length() > 255 ? username.substring(0, 255) : username, remoteAddr, "bad credentials"));
    }

    private Cached check(String username, String password, @Nullable String remoteAddr) {
        if (username.startsWith(ScanCredentialService.PREFIX)) {
            return new Cached(scanner(username, password, remoteAddr), null, null);
        }
        if (username.length() > 255) {
            // no account can have such a name; answer as for any unknown name, without keeping a counter
            throw fail(username.substring(0, 255), remoteAddr, "bad credentials");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        LoginAttemptEntity attempt = attempts.findById(username).orElse(null);
        if (attempt != null && attempt.lockedUntil != null && attempt.lockedUntil.isAfter(now)) {
            throw fail(username, remoteAddr, "locked");
        }
        Optional<Cached> verified = username.startsWith(Robot.PREFIX)
            ? robots.verify(username, password).map(r -> new Cached(Principal.robot(r), null, r.expiresAt()))
            : users.verify(username, password).map(u -> new Cached(Principal.user(u), null, null));
        if (verified.isPresent()) {
            if (attempt != null) {
                attempts.delete(attempt);
            }
            Principal principal = verified.get().principal();
            events.publishEvent(new LoginSucceeded(username, remoteAddr, clock.instant(),
                principal.kind() == Principal.Kind.ROBOT ? "robot" : "user"));
            return verified.get();
        }
        if (attempt == null || attempt.windowStart.plus(properties.failureWindow()).isBefore(now)) {
            attempt = attempt == null ? new LoginAttemptEntity(username, now) : attempt;
            attempt.failures = 0;
            attempt.windowStart = now;
            attempt.lockedUntil = null;
        }
        attempt.failures++;
        if (attempt.failures >= properties.maxFailedLogins()) {
            attempt.lockedUntil = now.plus(properties.lockoutDuration());
        }
        attempts.save(attempt);
        throw fail(username, remoteAddr, attempt.lockedUntil != null ? "bad credentials, now locked" : "bad credentials");
    }

    private Optional<AccountStamp> stamp(String username) {
        return username.startsWith(Robot.PREFIX) ? robots.stamp(username) : users.stamp(username);
    }

    private PlatformException fail(String username, @Nullable String remoteAddr, String reason) {
        events.publishEvent(new LoginFailed(username, remoteAddr, clock.instant(), reason));
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            registry.counter("wharf.auth.failures", "reason", reason.startsWith("locked") ? "locked" : "bad_credentials").increment();
        }
        return new PlatformException(ErrorCode.UNAUTHORIZED, "invalid username or password");
    }

    /** An HMAC of the credentials under a per-process random key: the cache never holds a password or a plain hash of one. */
    private String cacheKey(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return HexFormat.of().formatHex(mac.doFinal((Objects.requireNonNull(username) + '\0' + password)
                .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
