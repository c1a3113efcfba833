package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.regex.Pattern;

/**
 * A repository name as the OCI distribution spec defines it: path components of lower-case
 * alphanumerics separated by {@code .}, {@code _}, {@code __} or dashes, joined by {@code /}; at most
 * 255 characters. The first component is the project.
 */
public record RepositoryName(String value) {

    public static final int MAX_LENGTH = 255;

    private static final Pattern GRAMMAR = Pattern.compile(
        "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    /**
     * Validates {@code value}.
     *
     * @throws PlatformException {@link ErrorCode#NAME_INVALID} when it is not a valid repository name
     */
    public static RepositoryName of(String value) {
        if (value == null || value.isEmpty()) {
            throw new PlatformException(ErrorCode.NAME_INVALID, "repository name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new PlatformException(ErrorCode.NAME_INVALID,
                "repository name must not be longer than " + MAX_LENGTH + " characters");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new PlatformException(ErrorCode.NAME_INVALID,
                "invalid repository name: " + (value.length() > 80 ? value.substring(0, 80) + "..." : value));
        }
        return new RepositoryName(value);
    }

    /** The project: the first path component. */
    public String project() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    @Override
    public String toString() {
        return value;
    }
}
