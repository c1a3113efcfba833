package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/** Local user accounts: created by administrators (or at bootstrap), passwords hashed with bcrypt. */
@Service
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,254}");

    private final UserRepository users;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder();

    UserService(UserRepository users) {
        this.users = users;
    }

    /**
     * Creates a user.
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
     * and cut by the database.
     *
     * @param pageable the page; its sort is ignored
     */
    @Transactional(readOnly = true)
    public Page<User> list(String fragment, Pageable pageable) {
        Pageable page = pageable.isPaged() ? PageRequest.of(pageable.getPageNumber(), pageable.getPageSize()) : pageable;
        return users.findByUsernameContainingOrderByUsername(fragment, page).map(UserEntity::toUser);
    }

    /** Updates the profile fields that are not null. */
    @Transactional
    public User update(long id, @Nullable String email, @Nullable String realname, @Nullable String comment) {
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
        user.updatedAt = OffsetDateTime.now();
        return user.toUser();
    }

    /**
     * Sets a new password. {@code oldPassword} must match unless {@code checkOld} is false (an
     * administrator resetting another user's password).
     */
    @Transactional
    public void changePassword(long id, @Nullable String oldPassword, String newPassword, boolean checkOld) {
        UserEntity user = entity(id);
        if (checkOld && (oldPassword == null || !encoder.matches(oldPassword, user.passwordHash))) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the old password is wrong");
        }
        PasswordPolicy.check(newPassword);
        user.passwordHash = encoder.encode(newPassword);
        user.updatedAt = OffsetDateTime.now();
    }

    @Transactional
    public void setSysadmin(long id, boolean sysadmin) {
        UserEntity user = entity(id);
        user.sysadmin = sysadmin;
        user.updatedAt = OffsetDateTime.now();
    }

    @Transactional
    public void delete(long id) {
        users.delete(entity(id));
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
