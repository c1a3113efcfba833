package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

/**
 * Passwords have at least 8 characters with at least one upper-case letter, one lower-case letter and
 * one digit, and at most 72 bytes in UTF-8 (bcrypt reads no further, and refuses longer input).
 */
public final class PasswordPolicy {

    private PasswordPolicy() {
    }

    /** @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} naming what is missing */
    public static void check(String password) {
        if (password == null || password.length() < 8
            || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72
            || password.chars().noneMatch(Character::isUpperCase)
            || password.chars().noneMatch(Character::isLowerCase)
            || password.chars().noneMatch(Character::isDigit)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "the password must have 8 to 72 characters (72 bytes) with at least one upper-case letter, one lower-case letter and one digit");
        }
    }
}
