package io.wharf.core.iam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A local user account. */
@Entity
@Table(name = "wharf_user")
class UserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String username;

    @Column
    @Nullable String email;

    @Column
    @Nullable String realname;

    @Column
    @Nullable String comment;

    @Column(name = "password_hash", nullable = false)
    String passwordHash;

    @Column(nullable = false)
    boolean sysadmin;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    /** Increased by every change; cached logins are valid only while it stands (see LoginService). */
    @jakarta.persistence.Version
    @Column(nullable = false)
    long version;

    protected UserEntity() {
    }

    UserEntity(String username, @Nullable String email, @Nullable String realname, @Nullable String comment,
               String passwordHash, boolean sysadmin) {
        this.username = username;
        this.email = email;
        this.realname = realname;
        this.comment = comment;
        this.passwordHash = passwordHash;
        this.sysadmin = sysadmin;
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = this.createdAt;
    }

    User toUser() {
        return new User(id, username, email, realname, comment, sysadmin, createdAt, updatedAt);
    }
}
