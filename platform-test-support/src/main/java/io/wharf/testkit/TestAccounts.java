package io.wharf.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The accounts the integration tests work with. Every test context sets {@code wharf.admin-password} to
 * {@link #ADMIN_PASSWORD} (see {@link #properties()}), so the {@code admin} system administrator created on
 * first start has a known password; users the tests create get {@link #USER_PASSWORD} unless they say otherwise.
 */
public final class TestAccounts {

    /** The system administrator created on first start. */
    public static final String ADMIN_USERNAME = "admin";

    /** The password given to {@link #ADMIN_USERNAME}; it satisfies the password policy. */
    public static final String ADMIN_PASSWORD = "Admin12345";

    /** The password of the users the tests create; it satisfies the password policy. */
    public static final String USER_PASSWORD = "Passw0rd42";

    /** The property that sets the first admin password ({@code WHARF_ADMIN_PASSWORD} in the environment). */
    public static final String ADMIN_PASSWORD_PROPERTY = "wharf.admin-password";

    /** The environment variable that sets the first admin password, for a started jar. */
    public static final String ADMIN_PASSWORD_ENV = "WHARF_ADMIN_PASSWORD";

    /** The Project Admin role of the Harbor API ({@code role_id}). */
    public static final int ROLE_PROJECT_ADMIN = 1;
    /** The Developer role. */
    public static final int ROLE_DEVELOPER = 2;
    /** The Guest role. */
    public static final int ROLE_GUEST = 3;
    /** The Maintainer role. */
    public static final int ROLE_MAINTAINER = 4;

    private TestAccounts() {
    }

    /** Spring properties that give the admin {@link #ADMIN_PASSWORD}. */
    public static Map<String, String> properties() {
        return Map.of(ADMIN_PASSWORD_PROPERTY, ADMIN_PASSWORD);
    }

    /** The same as a {@code --key=value} command-line argument. */
    public static String argument() {
        return "--" + ADMIN_PASSWORD_PROPERTY + "=" + ADMIN_PASSWORD;
    }

    /** An {@code Authorization} header value with Basic credentials. */
    public static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code Authorization} header value with the admin's Basic credentials. */
    public static String adminBasic() {
        return basic(ADMIN_USERNAME, ADMIN_PASSWORD);
    }
}
