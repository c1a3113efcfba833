package io.wharf.core.iam;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Local user accounts: created by administrators (or at bootstrap), passwords hashed with bcrypt. */
@Service
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,254}");

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final AccessPolicy policy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    UserService(UserRepository users, PasswordEncoder encoder, AccessPolicy policy, ApplicationEventPublisher events, Clock clock) {
        this.users = users;
        this.encoder = encoder;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    /** Creates a user as a system administrator asks; see {@link #create(String, String, String, String, String, boolean)}. */
    @Transactional
    public User create(Caller caller, String username, @Nullable String email, String password, @Nullable String realname,
                       @Nullable String comment) {
        policy.requireSysadmin(caller);
        User user = create(username, email, password, realname, comment, false);
        events.publishEvent(new UserCreated(caller.name(), caller.remoteAddr(), clock.instant(), user.username()));
        return user;
    }

    /** The user {@code id}, for itself or a system administrator. */
    @Transactional(readOnly = true)
    public User get(Caller caller, long id) {
        requireSelfOrAdmin(caller, id);
        return user(id);
    }

    /** The calling user. */
    @Transactional(readOnly = true)
    public User current(Caller caller) {
        policy.requireUser(caller);
        return user(Objects.requireNonNull(caller.principal().userId()));
    }

    /** Updates the profile fields that are not null, for the user itself or a system administrator. */
    @Transactional
    public User update(Caller caller, long id, @Nullable String email, @Nullable String realname, @Nullable String comment) {
        requireSelfOrAdmin(caller, id);
        User user = update(id, email, realname, comment);
        events.publishEvent(new UserUpdated(caller.name(), caller.remoteAddr(), clock.instant(), user.username()));
        return user;
    }

    /**
     * Sets a new password. Users changing their own password (administrators too) must give the old
     * one; a system administrator resetting another user's password need not.
     */
    @Transactional
    public void changePassword(Caller caller, long id, @Nullable String oldPassword, String newPassword) {
        requireSelfOrAdmin(caller, id);
        boolean self = Long.valueOf(id).equals(caller.principal().userId());
        changePassword(id, oldPassword, newPassword, self || !caller.principal().sysadmin());
        events.publishEvent(new PasswordChanged(caller.name(), caller.remoteAddr(), clock.instant(), user(id).username()));
    }

    /** Makes a user a system administrator or not; system administrators only. */
    @Transactional
    public void setSysadmin(Caller caller, long id, boolean sysadmin) {
        policy.requireSysadmin(caller);
        User user = user(id);
        setSysadmin(id, sysadmin);
        events.publishEvent(new SysadminChanged(caller.name(), caller.remoteAddr(), clock.instant(), user.username(), sysadmin));
    }

    /** Deletes a user; system administrators only, never themselves. */
    @Transactional
    public void delete(Caller caller, long id) {
        policy.requireSysadmin(caller);
        User user = user(id);
        if (Long.valueOf(id).equals(caller.principal().userId())) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "you cannot delete yourself");
        }
        users.delete(entity(id));
        events.publishEvent(new UserDeleted(caller.name(), caller.remoteAddr(), clock.instant(), user.username()));
    }

    private void requireSelfOrAdmin(Caller caller, long id) {
        policy.requireUser(caller);
        if (!caller.principal().sysadmin() && !Long.valueOf(id).equals(caller.principal().userId())) {
            throw new PlatformException(ErrorCode.DENIED, "only administrators may see or change other users");
        }
    }

    private User user(long id) {
        return users.findById(id).map(UserEntity::toUser)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "user " + id + " not found"));
    }

    /** The account's id and version, which every change increases; empty when there is no such user. */
    Optional<AccountStamp> stamp(String username) {
        return users.findStamp(username);
    }

    /**
     * Creates a user without an access check: for the bootstrap of the first administrator.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name or password,
     *         {@link ErrorCode#CONFLICT} when the name is taken
     */
    @Transactional
    public User create(String username, @Nullable String email, String password, @Nullable String realname,
                       @Nullable String comment, boolean sysadmin) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "the username must be 1 to 255 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        PasswordPolicy.check(password);
        if (users.findByUsername(username).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "user " + username + " already exists");
        }
        return users.saveAndFlush(new UserEntity(username, email, realname, comment, encoder.encode(password), sysadmin)).toUser();
    }

    @Transactional(readOnly = true)
    public Optional<User> find(long id) {
        return users.findById(id).map(UserEntity::toUser);
    }

    @Transactional(readOnly = true)
    public Optional<User> findByUsername(String username) {
        return users.findByUsername(username).map(UserEntity::toUser);
    }

    /**
     * One page of the users whose name contains {@code fragment} (empty for all), by name, counted
     * and cut by the database. System administrators only.
     *
     * @param pageable the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<User> list(Caller caller, String fragment, Pageable pageable) {
        return find(caller, TextMatch.containing(fragment), TextMatch.ANY, pageable);
    }

    /**
     * One page of the users matching Harbor's {@code q} over {@code username} and {@code email}, in
     * any of {@link HarborQuery}'s text forms, by name (Harbor's order); {@code username} and
     * {@code email}, when not null, take the place of those criteria as fragments to contain, as
     * Harbor's parameters of the same names do. System administrators only.
     *
     * @param pageable the page; its sort is ignored
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad {@code q}, {@code UNAUTHORIZED}, {@code DENIED}
     */
    @Transactional(readOnly = true)
    public Page<User> list(Caller caller, @Nullable String q, @Nullable String username, @Nullable String email,
                           Pageable pageable) {
        HarborQuery query = HarborQuery.parse(q, Set.of("username", "email"));
        return find(caller, username != null ? TextMatch.containing(username) : query.match("username"),
            email != null ? TextMatch.containing(email) : query.match("email"), pageable);
    }

    private Page<User> find(Caller caller, TextMatch usernames, TextMatch emails, Pageable pageable) {
        policy.requireSysadmin(caller);
        Sort byName = Sort.by("username");
        Pageable page = pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), byName)
            : Pageable.unpaged(byName);
        Specification<UserEntity> matching = (root, criteria, cb) -> cb.and(usernames.predicate(cb, root.get("username")),
            emails.predicate(cb, root.get("email")));
        return users.findAll(matching, page).map(UserEntity::toUser);
    }

    private User update(long id, @Nullable String email, @Nullable String realname, @Nullable String comment) {
        UserEntity user = entity(id);
        if (email != null) {
            user.email = email;
        }
        if (realname != null) {
            user.realname = realname;
        }
        if (comment != null) {
            user.comment = comment;
        }
        user.updatedAt = OffsetDateTime.now(clock);
        return user.toUser();
    }

    private void changePassword(long id, @Nullable String oldPassword, String newPassword, boolean checkOld) {
        UserEntity user = entity(id);
        if (checkOld && (oldPassword == null || !encoder.matches(oldPassword, user.passwordHash))) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the old password is wrong");
        }
        PasswordPolicy.check(newPassword);
        user.passwordHash = encoder.encode(newPassword);
        user.updatedAt = OffsetDateTime.now(clock);
    }

    private void setSysadmin(long id, boolean sysadmin) {
        UserEntity user = entity(id);
        user.sysadmin = sysadmin;
        user.updatedAt = OffsetDateTime.now(clock);
    }

    /** Whether {@code password} is the user's; runs bcrypt even for unknown users so both take as long. */
    @Transactional(readOnly = true)
    Optional<User> verify(String username, String password) {
        Optional<UserEntity> user = users.findByUsername(username);
        String hash = user.map(u -> u.passwordHash).orElse(DUMMY_HASH);
        boolean matches = encoder.matches(password, hash);
        return matches ? user.map(UserEntity::toUser) : Optional.empty();
    }

    private UserEntity entity(long id) {
        return users.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no user " + id));
    }

    /** A bcrypt hash of a random value, compared against when the user does not exist. */
    private static final String DUMMY_HASH = new BCryptPasswordEncoder().encode(java.util.UUID.randomUUID().toString());
}
