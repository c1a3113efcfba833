package io.wharf.core.iam;

import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.core.audit.AuditEvent;
import io.wharf.core.audit.AuditService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks credentials (users and robots) with abuse resistance: after {@code wharf.auth.max-failed-logins}
 * failures of one name within the window the name is locked for {@code wharf.auth.lockout-duration};
 * an unknown name, a wrong password and a locked name get the same answer; passwords are compared
 * by bcrypt (also run for unknown users) and robot secrets in constant time. Every failure is
 * counted ({@code wharf.auth.failures}) and audited, as is every login.
 *
 * <p>Users whose clients send Basic credentials with every request ({@link #authenticateRequest}) are
 * served from a one-minute cache of successful checks, so bcrypt does not run per request. Robots
 * are checked every time: their secrets are cheap to check and they may expire at any moment.
 */
@Service
public class LoginService {

    private static final long CACHE_MILLIS = 60_000;

    private final UserService users;
    private final RobotService robots;
    private final LoginAttemptRepository attempts;
    private final AuditService audit;
    private final AuthProperties properties;
    private final ObjectProvider<MeterRegistry> meters;
    private final java.time.Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    LoginService(UserService users, RobotService robots, LoginAttemptRepository attempts, AuditService audit,
                 AuthProperties properties, ObjectProvider<MeterRegistry> meters, java.time.Clock clock) {
        this.clock = clock;
        this.users = users;
        this.robots = robots;
        this.attempts = attempts;
        this.audit = audit;
        this.properties = properties;
        this.meters = meters;
    }

    private record Cached(Principal principal, long until) {
    }

    /**
     * Logs in (token endpoint, {@code docker login}): checks the credentials and audits the outcome.
     *
     * @throws PlatformException {@link ErrorCode#UNAUTHORIZED} for bad credentials or a locked name
     */
    @Transactional(noRollbackFor = PlatformException.class)
    public Principal authenticate(String username, String password, @Nullable String remoteAddr) {
        if (username.length() > 255) {
            // no account can have such a name; answer as for any unknown name, without keeping a counter
            throw fail(username.substring(0, 255), remoteAddr, "bad credentials");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        LoginAttemptEntity attempt = attempts.findById(username).orElse(null);
        if (attempt != null && attempt.lockedUntil != null && attempt.lockedUntil.isAfter(now)) {
            throw fail(username, remoteAddr, "locked");
        }
        Optional<Principal> principal = username.startsWith(Robot.PREFIX)
            ? robots.verify(username, password).map(Principal::robot)
            : users.verify(username, password).map(Principal::user);
        if (principal.isPresent()) {
            if (attempt != null) {
                attempts.delete(attempt);
            }
            audit.record(new AuditEvent(username, "login", principal.get().kind().name().toLowerCase(), username, true, remoteAddr, null));
            return principal.get();
        }
        if (attempt == null || attempt.windowStart.plus(properties.failureWindow()).isBefore(now)) {
            attempt = attempt == null ? new LoginAttemptEntity(username) : attempt;
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

    /** Like {@link #authenticate}, for credentials sent with every request: successful checks are cached for a minute. */
    public Principal authenticateRequest(String username, String password, @Nullable String remoteAddr) {
        String key = username + ":" + sha256(password);
        Cached cached = cache.get(key);
        long now = clock.millis();
        if (cached != null && cached.until() > now) {
            return cached.principal();
        }
        Principal principal = authenticate(username, password, remoteAddr);
        if (principal.kind() != Principal.Kind.USER) {
            // robots are cheap to check (SHA-256) and may expire or be disabled at any moment: never cached
            return principal;
        }
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(principal, now + CACHE_MILLIS));
        return principal;
    }

    /** Forgets cached logins, e.g. after a password change or a robot being disabled. */
    public void evictCache() {
        cache.clear();
    }

    private PlatformException fail(String username, @Nullable String remoteAddr, String reason) {
        audit.record(new AuditEvent(username, "login", "account", username, false, remoteAddr, reason));
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            registry.counter("wharf.auth.failures", "reason", reason.startsWith("locked") ? "locked" : "bad_credentials").increment();
        }
        return new PlatformException(ErrorCode.UNAUTHORIZED, "invalid username or password");
    }

    private static String sha256(String value) {
        return io.wharf.core.registry.digest.Digest.sha256(value.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
