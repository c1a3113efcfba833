package io.wharf.web.console;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.CveAllowlist;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * A CVE allowlist as the console's forms edit it (the system's and a project's): the ids one per line
 * or separated by commas, and the last day it applies (a date, in UTC; empty for never). Harbor keeps
 * the expiry as Unix seconds: a list valid through a day expires when the next day begins.
 *
 * @param text    the ids, one per line
 * @param expires the last day the list applies, or null when it never expires
 * @param expired whether it has expired
 * @param count   how many ids it holds
 */
public record AllowlistForm(String text, @Nullable LocalDate expires, boolean expired, int count) {

    /** The form of {@code list} at {@code now}. */
    public static AllowlistForm of(CveAllowlist list, Instant now) {
        LocalDate expires = list.expiresAt() == null ? null
            : Instant.ofEpochSecond(list.expiresAt() - 1).atOffset(ZoneOffset.UTC).toLocalDate();
        return new AllowlistForm(String.join("\n", list.items()), expires, !list.activeAt(now), list.items().size());
    }

    /** The ids in {@code text}: separated by line breaks, commas or spaces; blanks dropped, repeats kept for the service to refuse. */
    public static List<String> ids(@Nullable String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(id -> !id.isEmpty()).toList();
    }

    /**
     * The expiry in Unix seconds of a list valid through {@code date} ({@code yyyy-MM-dd}); null for a
     * blank date (never).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for anything that is not such a date
     */
    public static @Nullable Long expiresAt(@Nullable String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "The expiry must be a date such as 2030-12-31, or empty for never.");
        }
    }
}
