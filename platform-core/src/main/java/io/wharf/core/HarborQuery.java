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
 * {@code q} is a comma-separated list of criteria, all of which must hold; each is one of Harbor's
 * forms (its {@code src/lib/q} parser):
 * <ul>
 *   <li>{@code key=value}: exactly the value ({@code key=\value} when the value itself starts with
 *       one of the characters <code>~[{(</code>);</li>
 *   <li>{@code key=~value}: the value is contained;</li>
 *   <li>{@code key={v1 v2}}: any of the space-separated values (Harbor's "union" list, what its
 *       console sends for several operations or project names);</li>
 *   <li>{@code key=(v1 v2)}: every value (Harbor's "intersection" list); on a key with one value per
 *       entry this matches only when the values are all the same. Harbor's generic filter ignores
 *       such a list; Wharf applies what it says, see {@link TextMatch#allOf};</li>
 *   <li>{@code key=[from~to]}: a range, either end may be empty; only for the keys a listing names
 *       as ranges, which take no other form.</li>
 * </ul>
 * Values may be quoted ({@code "v"} or {@code 'v'}); list values are split on spaces. {@code sort}
 * is a comma-separated list of keys, each descending when prefixed with {@code -}.
 *
 * @param criteria the criteria by key
 */
public record HarborQuery(Map<String, Criterion> criteria) {

    /**
     * One criterion of {@code q}.
     *
     * @param form   which of Harbor's forms it has
     * @param values the value ({@link Form#EXACT}, {@link Form#FUZZY}), the list's values (at least one),
     *               or the range's two ends, each empty when open ({@link Form#RANGE}); all unquoted
     */
    public record Criterion(Form form, List<String> values) {

        /** Harbor's forms of a criterion. */
        public enum Form { EXACT, FUZZY, ANY_OF, ALL_OF, RANGE }

        public Criterion {
            values = List.copyOf(values);
        }

        /** An exact ({@code k=v}) or fuzzy ({@code k=~v}) criterion. */
        public static Criterion of(String value, boolean fuzzy) {
            return new Criterion(fuzzy ? Form.FUZZY : Form.EXACT, List.of(value));
        }

        /** The first value: for {@link Form#EXACT} and {@link Form#FUZZY}, the value. */
        public String value() {
            return values.get(0);
        }

        /** Whether the value must only be contained ({@code k=~v}). */
        public boolean fuzzy() {
            return form == Form.FUZZY;
        }

        /** The two ends of a range criterion ({@code [from~to]}), each empty when open. */
        public String[] rangeEnds() {
            return new String[] {values.get(0), values.get(1)};
        }

        /** What this criterion asks of a text column with one value per row; not for ranges. */
        public TextMatch match() {
            return switch (form) {
                case EXACT -> TextMatch.exactly(value());
                case FUZZY -> TextMatch.containing(value());
                case ANY_OF -> TextMatch.anyOf(values);
                case ALL_OF -> TextMatch.allOf(values);
                case RANGE -> throw new IllegalStateException("a range is no text match");
            };
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
            criteria.put(key, ranges.contains(key) ? range(key, value) : criterion(key, value));
        }
        return new HarborQuery(criteria);
    }

    /** The criterion for {@code key}, or null when {@code q} has none. */
    public @Nullable Criterion get(String key) {
        return criteria.get(key);
    }

    /** What {@code q} asks of the text column {@code key}: {@link TextMatch#ANY} when it has no criterion for it. */
    public TextMatch match(String key) {
        Criterion criterion = get(key);
        return criterion == null ? TextMatch.ANY : criterion.match();
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

    private static Criterion range(String key, String value) {
        if (!value.startsWith("[") || !value.endsWith("]") || !value.contains("~")) {
            throw invalid(key + " must be a range [from~to]: " + value);
        }
        String[] ends = value.substring(1, value.length() - 1).split("~", 2);
        return new Criterion(Criterion.Form.RANGE, List.of(unquote(ends[0].trim()), unquote(ends[1].trim())));
    }

    private static Criterion criterion(String key, String value) {
        if (value.startsWith("~")) {
            return Criterion.of(unquote(value.substring(1)), true);
        }
        if (value.startsWith("{") || value.startsWith("(")) {
            boolean any = value.startsWith("{");
            if (!value.endsWith(any ? "}" : ")")) {
                throw invalid(key + " must be a list " + (any ? "{v1 v2}" : "(v1 v2)") + ": " + value);
            }
            List<String> values = new ArrayList<>();
            for (String item : value.substring(1, value.length() - 1).split(" ")) {
                if (!item.isBlank()) {
                    values.add(unquote(item.trim()));
                }
            }
            if (values.isEmpty()) {
                throw invalid(key + " lists no value: " + value);
            }
            return new Criterion(any ? Criterion.Form.ANY_OF : Criterion.Form.ALL_OF, values);
        }
        if (value.startsWith("[")) {
            throw invalid(key + " takes no range");
        }
        return Criterion.of(unquote(value.startsWith("\\") ? value.substring(1) : value), false);
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
