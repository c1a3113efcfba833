package io.wharf.core;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Harbor's {@code q} and {@code sort} query parameters, for the keys a listing supports.
 * {@code q} is a comma-separated list of {@code key=value} (exact match) and {@code key=~value}
 * (the value is contained); {@code sort} a comma-separated list of keys, each descending when
 * prefixed with {@code -}. Values may be quoted. Harbor's range form {@code key=[from~to]} (either
 * end may be empty) is accepted for the keys a listing names as ranges; the set forms are not.
 *
 * @param criteria the criteria by key
 */
public record HarborQuery(Map<String, Criterion> criteria) {

    /**
     * One criterion of {@code q}.
     *
     * @param value the value; for a range, its text between the brackets ({@code from~to})
     * @param fuzzy whether the value must only be contained ({@code =~}) rather than equal
     */
    public record Criterion(String value, boolean fuzzy) {

        /** The two ends of a range criterion ({@code [from~to]}), each unquoted and empty when open. */
        public String[] rangeEnds() {
            String[] ends = value.split("~", 2);
            return new String[] {unquote(ends[0].trim()), ends.length > 1 ? unquote(ends[1].trim()) : ""};
        }

        /** A LIKE pattern with {@code !} as escape character that matches what this criterion accepts. */
        public String likePattern() {
            String escaped = io.wharf.core.LikePatterns.escape(value);
            return fuzzy ? "%" + escaped + "%" : escaped;
        }
    }

    /**
     * Parses {@code q}.
     *
     * @param q       the parameter, or null or empty for no criteria
     * @param allowed the keys the listing supports
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for malformed criteria and unsupported keys or forms
     */
    public static HarborQuery parse(@Nullable String q, Set<String> allowed) {
        return parse(q, allowed, Set.of());
    }

    /**
     * Parses {@code q} where the keys in {@code ranges} take Harbor's range form {@code [from~to]}
     * (and only that form).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for malformed criteria and unsupported keys or forms
     */
    public static HarborQuery parse(@Nullable String q, Set<String> allowed, Set<String> ranges) {
        Map<String, Criterion> criteria = new LinkedHashMap<>();
        if (q == null || q.isBlank()) {
            return new HarborQuery(criteria);
        }
        for (String part : q.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw invalid("q must be key=value or key=~value, not " + part);
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!allowed.contains(key) && !ranges.contains(key)) {
                throw invalid("q does not support the key " + key + "; supported: " + allowed + " " + ranges);
            }
            if (ranges.contains(key)) {
                if (!value.startsWith("[") || !value.endsWith("]") || !value.contains("~")) {
                    throw invalid(key + " must be a range [from~to]: " + value);
                }
                criteria.put(key, new Criterion(value.substring(1, value.length() - 1), false));
                continue;
            }
            boolean fuzzy = value.startsWith("~");
            value = fuzzy ? value.substring(1) : value;
            if (value.startsWith("[") || value.startsWith("{") || value.startsWith("(")) {
                throw invalid("q supports only key=value and key=~value");
            }
            criteria.put(key, new Criterion(unquote(value), fuzzy));
        }
        return new HarborQuery(criteria);
    }

    /** The criterion for {@code key}, or null when {@code q} has none. */
    public @Nullable Criterion get(String key) {
        return criteria.get(key);
    }

    /** The LIKE pattern ({@code !} escapes) for {@code key}, or {@code %} (anything) when {@code q} has no criterion for it. */
    public String likePattern(String key) {
        Criterion criterion = get(key);
        return criterion == null ? "%" : criterion.likePattern();
    }

    /**
     * Parses {@code sort} into a Spring Data sort over the properties that {@code keys} maps Harbor's
     * keys to.
     *
     * @param sort     the parameter, or null or empty for {@code fallback}
     * @param keys     Harbor's sort keys and the property each sorts by
     * @param fallback the order without {@code sort}, also the tie-breaker after it
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for unsupported keys
     */
    public static Sort sort(@Nullable String sort, Map<String, String> keys, Sort fallback) {
        if (sort == null || sort.isBlank()) {
            return fallback;
        }
        List<Sort.Order> orders = new ArrayList<>();
        for (String part : sort.split(",")) {
            String key = part.trim();
            boolean descending = key.startsWith("-");
            key = descending ? key.substring(1) : key;
            String property = keys.get(key);
            if (property == null) {
                throw invalid("sort does not support the key " + key + "; supported: " + keys.keySet());
            }
            orders.add(descending ? Sort.Order.desc(property) : Sort.Order.asc(property));
        }
        return Sort.by(orders).and(fallback);
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
            && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static PlatformException invalid(String detail) {
        return new PlatformException(ErrorCode.INVALID_ARGUMENT, detail);
    }
}
