package io.wharf.testkit;

/**
 * What a request authenticates with: an {@code Authorization} header value, or none ({@link #NONE}).
 * The label names the caller in assertion messages and parameterised test names.
 *
 * @param label  how the caller is named in messages (the username, {@code bearer}, {@code anonymous})
 * @param header the {@code Authorization} header value, or null to send none
 */
public record Credentials(String label, String header) {

    /** No credentials: the request is anonymous. */
    public static final Credentials NONE = new Credentials("anonymous", null);

    /** HTTP Basic credentials. */
    public static Credentials basic(String username, String password) {
        return new Credentials(username, TestAccounts.basic(username, password));
    }

    /** A Bearer token. */
    public static Credentials bearer(String token) {
        return new Credentials("bearer", "Bearer " + token);
    }

    /** The admin's Basic credentials ({@link TestAccounts#ADMIN_PASSWORD}). */
    public static Credentials admin() {
        return basic(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
    }

    /** Basic credentials of a user the tests created with {@link TestAccounts#USER_PASSWORD}. */
    public static Credentials user(String username) {
        return basic(username, TestAccounts.USER_PASSWORD);
    }

    /** Whether a request with these credentials sends no {@code Authorization} header. */
    public boolean anonymous() {
        return header == null;
    }

    @Override
    public String toString() {
        return label;
    }
}
