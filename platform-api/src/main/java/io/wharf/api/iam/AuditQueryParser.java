package io.wharf.api.iam;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.HarborQuery;
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
 * Keys: {@code operation}, {@code resource_type}, {@code resource}, {@code username} in any of
 * {@link HarborQuery}'s text forms ({@code k=v}, {@code k=~v}, {@code k={v1 v2}}, {@code k=(v1 v2)};
 * Harbor's console asks {@code operation={create delete}}), and {@code op_time} ({@code [from~to]},
 * either end may be empty; times as Harbor writes them, {@code yyyy-MM-dd HH:mm:ss} in UTC, or
 * RFC 3339). Values may be quoted.
 * {@code sort} is {@code op_time} (oldest first) or {@code -op_time} (newest first, the default).
 */
final class AuditQueryParser {

    private static final Set<String> TEXT_KEYS = Set.of("operation", "resource_type", "resource", "username");
    private static final DateTimeFormatter HARBOR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private AuditQueryParser() {
    }

    /** @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown key, a malformed pair, range or time */
    static AuditQuery parse(@Nullable String q, @Nullable String sort) {
        HarborQuery query = HarborQuery.parse(q, TEXT_KEYS, Set.of("op_time"));
        HarborQuery.Criterion time = query.get("op_time");
        String[] range = time == null ? new String[] {"", ""} : time.rangeEnds();
        return new AuditQuery(query.match("operation"), query.match("resource_type"), query.match("resource"),
            query.match("username"), time(range[0]), time(range[1]), parseSort(sort));
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
        String value = text.trim();
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

    private static PlatformException invalid(String message) {
        return new PlatformException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
