package io.wharf.core.iam;

import io.wharf.core.error.PlatformException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The login cache is per node but never outlives a change made on another node: a cached check is
 * used only while the account's version in the database is the one it was cached with.
 */
class LoginServiceTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final UserService users = mock(UserService.class);
    private final RobotService robots = mock(RobotService.class);
    private final LoginAttemptRepository attempts = mock(LoginAttemptRepository.class);
    private final List<Object> events = new ArrayList<>();
    private final MovingClock clock = new MovingClock(T0.toInstant());
    private LoginService logins;

    @BeforeEach
    void setUp() {
        AuthProperties properties = new AuthProperties(5, Duration.ofMinutes(15), Duration.ofMinutes(15), "wharf", "issuer",
            Duration.ofMinutes(30), Duration.ofDays(30), null);
        @SuppressWarnings("unchecked")
        ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters = mock(ObjectProvider.class);
        ApplicationEventPublisher publisher = events::add;
        logins = new LoginService(users, robots, attempts, properties, meters, publisher, clock);
        when(attempts.findById(any())).thenReturn(Optional.empty());
    }

    @Test
    void cachedLoginIsReusedWhileTheAccountVersionIsUnchanged() {
        User alice = user("alice");
        when(users.verify("alice", "Secret123")).thenReturn(Optional.of(alice));
        when(users.version("alice")).thenReturn(Optional.of(7L));

        assertThat(logins.authenticateRequest("alice", "Secret123", "10.0.0.1").name()).isEqualTo("alice");
        assertThat(logins.authenticateRequest("alice", "Secret123", "10.0.0.1").name()).isEqualTo("alice");

        verify(users, times(1)).verify("alice", "Secret123");
        assertThat(events).hasSize(1).first().isInstanceOf(LoginSucceeded.class);
    }

    @Test
    void passwordChangedOnAnotherNodeEndsTheCachedLoginAtOnce() {
        User alice = user("alice");
        when(users.verify("alice", "Secret123")).thenReturn(Optional.of(alice));
        when(users.version("alice")).thenReturn(Optional.of(7L));
        logins.authenticateRequest("alice", "Secret123", null);

        // another node changed the password: the version moved and the old password no longer verifies
        when(users.version("alice")).thenReturn(Optional.of(8L));
        when(users.verify("alice", "Secret123")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> logins.authenticateRequest("alice", "Secret123", null)).isInstanceOf(PlatformException.class);
        verify(users, times(2)).verify("alice", "Secret123");
        assertThat(events).last().isInstanceOf(LoginFailed.class);
    }

    @Test
    void deletedAccountIsNeverServedFromTheCache() {
        when(users.verify("bob", "Secret123")).thenReturn(Optional.of(user("bob")));
        when(users.version("bob")).thenReturn(Optional.of(1L));
        logins.authenticateRequest("bob", "Secret123", null);

        when(users.version("bob")).thenReturn(Optional.empty());
        when(users.verify("bob", "Secret123")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> logins.authenticateRequest("bob", "Secret123", null)).isInstanceOf(PlatformException.class);
    }

    @Test
    void cachedRobotLoginEndsWhenTheRobotExpires() {
        Robot robot = new Robot(1, "robot$team+ci", null, "project", 1L, false, 1, T0.plusMinutes(5), T0, T0,
            Map.of("team", java.util.Set.of("pull")));
        when(robots.verify("robot$team+ci", "s3cret")).thenReturn(Optional.of(robot));
        when(robots.version("robot$team+ci")).thenReturn(Optional.of(3L));
        logins.authenticateRequest("robot$team+ci", "s3cret", null);
        logins.authenticateRequest("robot$team+ci", "s3cret", null);
        verify(robots, times(1)).verify("robot$team+ci", "s3cret");

        clock.advance(Duration.ofMinutes(6));
        when(robots.verify("robot$team+ci", "s3cret")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> logins.authenticateRequest("robot$team+ci", "s3cret", null)).isInstanceOf(PlatformException.class);
    }

    @Test
    void cacheExpiresAfterAMinuteByTheInjectedClock() {
        when(users.verify("carol", "Secret123")).thenReturn(Optional.of(user("carol")));
        when(users.version("carol")).thenReturn(Optional.of(1L));
        logins.authenticateRequest("carol", "Secret123", null);
        clock.advance(Duration.ofSeconds(61));
        logins.authenticateRequest("carol", "Secret123", null);
        verify(users, times(2)).verify("carol", "Secret123");
    }

    @Test
    void lockoutEndsWithTheInjectedClockNotWallTime() {
        when(users.verify(any(), any())).thenReturn(Optional.empty());
        LoginAttemptEntity attempt = new LoginAttemptEntity("dave", OffsetDateTime.now(clock));
        attempt.failures = 5;
        attempt.lockedUntil = OffsetDateTime.now(clock).plusMinutes(15);
        when(attempts.findById("dave")).thenReturn(Optional.of(attempt));
        assertThatThrownBy(() -> logins.authenticate("dave", "x", null)).isInstanceOf(PlatformException.class);
        assertThat(((LoginFailed) events.get(events.size() - 1)).reason()).isEqualTo("locked");

        clock.advance(Duration.ofMinutes(16));
        when(users.verify("dave", "Right123")).thenReturn(Optional.of(user("dave")));
        assertThat(logins.authenticate("dave", "Right123", null).name()).isEqualTo("dave");
    }

    private static User user(String name) {
        return new User(1, name, null, null, null, false, T0, T0);
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
