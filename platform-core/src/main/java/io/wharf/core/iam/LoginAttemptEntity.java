package io.wharf.core.iam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** Failed logins of one login name in the current window, and its lock. */
@Entity
@Table(name = "login_attempt")
class LoginAttemptEntity {

    @Id
    String username;

    @Column(nullable = false)
    int failures;

    @Column(name = "window_start", nullable = false)
    OffsetDateTime windowStart;

    @Column(name = "locked_until")
    @Nullable OffsetDateTime lockedUntil;

    protected LoginAttemptEntity() {
    }

    LoginAttemptEntity(String username, OffsetDateTime windowStart) {
        this.username = username;
        this.windowStart = windowStart;
    }
}
