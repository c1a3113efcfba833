package io.wharf.core.iam;

import java.io.Serial;
import java.io.Serializable;

/**
 * Which state of an account a cached login, a console session or a refresh token was made with: the
 * account's row id and its {@code version} (increased by every change of the row). The id tells a
 * recreated account of the same name from the old one, whose version may well be equal; the version
 * tells a changed account (password, secret, flags, permissions) from the one that logged in.
 *
 * @param id      the user's or robot's row id
 * @param version the row's version
 */
public record AccountStamp(long id, long version) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The compact form carried in tokens: {@code id.version}. */
    @Override
    public String toString() {
        return id + "." + version;
    }

    /** Parses {@link #toString()}'s form; null when it is not one. */
    public static @org.jspecify.annotations.Nullable AccountStamp parse(@org.jspecify.annotations.Nullable String text) {
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        try {
            return dot < 0 ? null : new AccountStamp(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
