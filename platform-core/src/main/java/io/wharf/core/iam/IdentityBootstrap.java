package io.wharf.core.iam;

import io.wharf.core.PlatformProperties;
import io.wharf.core.error.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * First start: creates the {@code admin} system administrator and the public {@code library} project.
 * The admin password is {@code WHARF_ADMIN_PASSWORD}; when unset, a random one is written to
 * {@code <data-dir>/admin.password}, readable only by the owner, and the log says so. There is no
 * default password. Nodes starting together are safe: only one creates the account.
 */
@Component
class IdentityBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);
    static final String ADMIN = "admin";
    static final String LIBRARY = "library";

    private final UserService users;
    private final ProjectService projects;
    private final PlatformProperties platform;

    IdentityBootstrap(UserService users, ProjectService projects, PlatformProperties platform) {
        this.users = users;
        this.projects = projects;
        this.platform = platform;
    }

    /** Runs once the context's beans exist and before the web server accepts requests, so no login races it. */
    @Override
    public void afterSingletonsInstantiated() {
        if (users.findByUsername(ADMIN).isEmpty()) {
            createAdmin();
        }
        if (projects.find(LIBRARY).isEmpty()) {
            try {
                projects.create(LIBRARY, true, users.findByUsername(ADMIN).map(User::id).orElse(null));
            } catch (DataIntegrityViolationException | PlatformException raced) {
                log.debug("library project created by another node");
            }
        }
    }

    private void createAdmin() {
        String configured = platform.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? randomPassword() : configured;
        try {
            PasswordPolicy.check(password);
        } catch (PlatformException e) {
            throw new IllegalStateException("WHARF_ADMIN_PASSWORD does not meet the password policy: " + e.detail());
        }
        try {
            users.create(ADMIN, null, password, "System administrator", null, true);
        } catch (DataIntegrityViolationException | PlatformException raced) {
            log.debug("admin created by another node");
            return;
        }
        if (generated) {
            Path file = platform.dataDir().resolve("admin.password");
            try {
                Files.createDirectories(platform.dataDir());
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            log.warn("Created the 'admin' account with a random password, written to {} (readable only by this user). "
                + "Log in and change it, or set WHARF_ADMIN_PASSWORD before the first start.", file.toAbsolutePath().normalize());
        } else {
            log.info("Created the 'admin' account with the password from WHARF_ADMIN_PASSWORD");
        }
    }

    private static String randomPassword() {
        String upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        String lower = "abcdefghijkmnopqrstuvwxyz";
        String digits = "23456789";
        String all = upper + lower + digits;
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        password.append(upper.charAt(random.nextInt(upper.length())));
        password.append(lower.charAt(random.nextInt(lower.length())));
        password.append(digits.charAt(random.nextInt(digits.length())));
        for (int i = 0; i < 17; i++) {
            password.append(all.charAt(random.nextInt(all.length())));
        }
        return password.toString();
    }
}
