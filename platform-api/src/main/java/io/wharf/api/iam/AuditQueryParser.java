package io.wharf.api.iam;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Harbor's {@code q} and {@code sort} for audit logs, turned into an {@link AuditQuery}:
 * {@code q=operation=push,resource=~team/app,username=alice,op_time=[2024-01-01 00:00:00~2024-01-31 23:59:59]}.
 * Keys: {@code operation}, {@code resource_type}, {@code resource}, {@code username} ({@code k=v} exact,
 * {@code k=~v} contains) and {@code op_time} ({@code [from~to]}, either end may be empty; times as
 * Harbor writes them, {@code yyyy-MM-dd HH:mm:ss} in UTC, or RFC 3339). Values may be quoted.
 * {@code sort} is {@code op_time} (oldest first) or {@code -op_time} (newest first, the default).
 */
final class AuditQueryParser {

    private static final Set<String> TEXT_KEYS = Set.of("operation", "resource_type", "resource", "username");
    private static final DateTimeFormatter HARBOR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private AuditQueryParser() {
    }

    /** @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key, a malformed pair, range or time */
    static AuditQuery parse(@Nullable String q, @Nullable String sort) {
        boolean oldestFirst = parseSort(sort);
        Map<String, String> exact = new HashMap<>();
        Map<String, String> fuzzy = new HashMap<>();
        OffsetDateTime from = null;
        OffsetDateTime to = null;
        for (String pair : q == null || q.isBlank() ? new String[0] : q.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw invalid("invalid query: " + pair);
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (key.equals("op_time")) {
                if (!value.startsWith("[") || !value.endsWith("]") || !value.contains("~")) {
                    throw invalid("op_time must be a range [from~to]: " + value);
                }
                String[] ends = value.substring(1, value.length() - 1).split("~", 2);
                from = time(ends[0]);
                to = time(ends[1]);
            } else if (TEXT_KEYS.contains(key)) {
                boolean contains = value.startsWith("~");
                (contains ? fuzzy : exact).put(key, unquote(contains ? value.substring(1) : value));
            } else {
                throw invalid("unsupported query key: " + key);
            }
        }
        Map<String, String> all = new HashMap<>(exact);
        all.putAll(fuzzy);
        return new AuditQuery(all.get("operation"), all.get("resource_type"), all.get("resource"), all.get("username"),
            new AuditQuery.Fuzzy(fuzzy.containsKey("operation"), fuzzy.containsKey("resource_type"),
                fuzzy.containsKey("resource"), fuzzy.containsKey("username")),
            from, to, oldestFirst);
    }

    private static boolean parseSort(@Nullable String sort) {
        if (sort == null || sort.isBlank() || sort.equals("-op_time")) {
            return false;
        }
        if (sort.equals("op_time")) {
            return true;
        }
        throw invalid("audit logs sort by op_time or -op_time, not " + sort);
    }

    private static @Nullable OffsetDateTime time(String text) {
        String value = unquote(text.trim());
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value, HARBOR_TIME).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException notHarbor) {
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw invalid("invalid time " + value + ": use yyyy-MM-dd HH:mm:ss (UTC) or RFC 3339");
            }
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static PlatformException invalid(String message) {
        return new PlatformException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
