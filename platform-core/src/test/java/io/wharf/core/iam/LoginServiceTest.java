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
        @SuppressWarnings("unchecked")
        ObjectProvider<ScanCredentialService> scanCredentials = mock(ObjectProvider.class);
        logins = new LoginService(users, robots, attempts, properties, meters, publisher, clock, scanCredentials);
        when(attempts.findById(any())).thenReturn(Optional.empty());
    }

    @Test
    void cachedLoginIsReusedWhileTheAccountVersionIsUnchanged() {
        User alice = user("alice");
        when(users.verify("alice", "Secret123")).thenReturn(Optional.of(alice));
        when(users.stamp("alice")).thenReturn(Optional.of(new AccountStamp(1, 7)));

        assertThat(logins.authenticateRequest("alice", "Secret123", "10.0.0.1").name()).isEqualTo("alice");
        assertThat(logins.authenticateRequest("alice", "Secret123", "10.0.0.1").name()).isEqualTo("alice");

        verify(users, times(1)).verify("alice", "Secret123");
        assertThat(events).hasSize(1).first().isInstanceOf(LoginSucceeded.class);
    }

    @Test
    void passwordChangedOnAnotherNodeEndsTheCachedLoginAtOnce() {
        User alice = user("alice");
        when(users.verify("alice", "Secret123")).thenReturn(Optional.of(alice));
        when(users.stamp("alice")).thenReturn(Optional.of(new AccountStamp(1, 7)));
        logins.authenticateRequest("alice", "Secret123", null);

        // another node changed the password: the version moved and the old password no longer verifies
        when(users.stamp("alice")).thenReturn(Optional.of(new AccountStamp(1, 8)));
        when(users.verify("alice", "Secret123")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> logins.authenticateRequest("alice", "Secret123", null)).isInstanceOf(PlatformException.class);
        verify(users, times(2)).verify("alice", "Secret123");
        assertThat(events).last().isInstanceOf(LoginFailed.class);
    }

    @Test
    void anAccountRecreatedUnderTheSameNameIsAnotherAccountEvenAtTheSameVersion() {
        User admin = new User(1, "erin", null, null, null, true, T0, T0);
        when(users.verify("erin", "Secret123")).thenReturn(Optional.of(admin));
        when(users.stamp("erin")).thenReturn(Optional.of(new AccountStamp(1, 0)));
        assertThat(logins.authenticateRequest("erin", "Secret123", null).sysadmin()).isTrue();

        // deleted and created again, not an administrator any more, and at version 0 again
        User recreated = new User(2, "erin", null, null, null, false, T0, T0);
        when(users.stamp("erin")).thenReturn(Optional.of(new AccountStamp(2, 0)));
        when(users.verify("erin", "Secret123")).thenReturn(Optional.of(recreated));

        assertThat(logins.authenticateRequest("erin", "Secret123", null).sysadmin()).isFalse();
        verify(users, times(2)).verify("erin", "Secret123");
    }

    @Test
    void deletedAccountIsNeverServedFromTheCache() {
        when(users.verify("bob", "Secret123")).thenReturn(Optional.of(user("bob")));
        when(users.stamp("bob")).thenReturn(Optional.of(new AccountStamp(1, 1)));
        logins.authenticateRequest("bob", "Secret123", null);

        when(users.stamp("bob")).thenReturn(Optional.empty());
        when(users.verify("bob", "Secret123")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> logins.authenticateRequest("bob", "Secret123", null)).isInstanceOf(PlatformException.class);
    }

    @Test
    void cachedRobotLoginEndsWhenTheRobotExpires() {
        Robot robot = new Robot(1, "robot$team+ci", null, "project", 1L, false, 1, T0.plusMinutes(5), T0, T0,
            Map.of("team", java.util.Set.of("pull")));
        when(robots.verify("robot$team+ci", "s3cret")).thenReturn(Optional.of(robot));
        when(robots.stamp("robot$team+ci")).thenReturn(Optional.of(new AccountStamp(1, 3)));
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
        when(users.stamp("carol")).thenReturn(Optional.of(new AccountStamp(1, 1)));
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
