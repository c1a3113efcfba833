package io.wharf.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serialises test documents the way the Go conformance suite does ({@code json.MarshalIndent(v, "", "\t")}
 * on structs): fields in declaration order, tab indentation, {@code ": "} after keys, {@code []} and
 * {@code {}} for empty collections, {@code byte[]} as standard base64, {@code null} kept as {@code null},
 * and Go's HTML-safe string escaping. The registry under test must store and serve these bytes verbatim,
 * so the exact layout matters only in that it is realistic (unknown fields, nulls, tabs).
 */
public final class GoJson {

    private GoJson() {
    }

    /** An ordered JSON object from alternating keys and values; a key whose value is {@link #OMIT} is left out. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            if (value != OMIT) {
                map.put((String) keysAndValues[i], value);
            }
        }
        return map;
    }

    /** Marker for Go's {@code omitempty}: the field is not written. */
    public static final Object OMIT = new Object();

    /** {@code value}, or {@link #OMIT} when it is null or empty (Go's {@code omitempty}). */
    public static Object omitEmpty(Object value) {
        if (value == null
            || value instanceof String s && s.isEmpty()
            || value instanceof Map<?, ?> m && m.isEmpty()
            || value instanceof List<?> l && l.isEmpty()
            || value instanceof byte[] b && b.length == 0) {
            return OMIT;
        }
        return value;
    }

    /** {@code value} as Go's {@code json.MarshalIndent(v, "", "\t")} writes it, UTF-8. */
    public static byte[] marshalIndent(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof byte[] bytes) {
            string(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                string(out, (String) entry.getKey());
                out.append(": ");
                write(out, entry.getValue(), depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                write(out, element, depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append(']');
        } else {
            throw new IllegalArgumentException("unsupported JSON value " + value.getClass());
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("\t".repeat(depth));
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
