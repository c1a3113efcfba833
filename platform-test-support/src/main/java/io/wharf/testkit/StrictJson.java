package io.wharf.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for registry responses. It fails on anything that is not one complete JSON
 * document, which is how the suite's {@code json.Unmarshal} calls judge response bodies; keeping it here
 * avoids tying the conformance port to the application's JSON library.
 * Jackson is not used on purpose: its lenient defaults would accept bodies the suite rejects.
 */
public final class StrictJson {

    /** What {@link #get} returns for a member that is not there. */
    public static final StrictJson MISSING = new StrictJson(null, false);

    private final Object value;
    private final boolean present;

    private StrictJson(Object value, boolean present) {
        this.value = value;
        this.present = present;
    }

    /** Parses a complete document; throws {@link IllegalArgumentException} on malformed or empty input. */
    public static StrictJson parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Parses a complete document; throws {@link IllegalArgumentException} on malformed or empty input. */
    public static StrictJson parse(String text) {
        Reader reader = new Reader(text);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw new IllegalArgumentException("trailing data at offset " + reader.pos);
        }
        return new StrictJson(value, true);
    }

    /** Whether this is {@link #MISSING}. */
    public boolean isMissing() {
        return !present;
    }

    /** Whether this is a JSON {@code null}. */
    public boolean isNull() {
        return present && value == null;
    }

    /** Whether this is a JSON object. */
    public boolean isObject() {
        return value instanceof Map;
    }

    /** Whether this is a JSON array. */
    public boolean isArray() {
        return value instanceof List;
    }

    /** Whether this is a JSON string. */
    public boolean isString() {
        return value instanceof String;
    }

    /** The member {@code key} of an object, or {@link #MISSING}. */
    public StrictJson get(String key) {
        if (value instanceof Map<?, ?> map && map.containsKey(key)) {
            return new StrictJson(map.get(key), true);
        }
        return MISSING;
    }

    /** The string value, or {@code fallback} when this is no string. */
    public String asString(String fallback) {
        return value instanceof String s ? s : fallback;
    }

    /** The elements of an array; empty for anything else. */
    public List<StrictJson> elements() {
        if (!(value instanceof List<?> list)) {
            return Collections.emptyList();
        }
        List<StrictJson> out = new ArrayList<>();
        for (Object element : list) {
            out.add(new StrictJson(element, true));
        }
        return out;
    }

    /** The members of an object in document order; empty for anything else. */
    public Map<String, StrictJson> members() {
        if (!(value instanceof Map<?, ?> map)) {
            return Collections.emptyMap();
        }
        Map<String, StrictJson> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put((String) k, new StrictJson(v, true)));
        return out;
    }

    @Override
    public String toString() {
        return present ? String.valueOf(value) : "<missing>";
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        Object value() {
            if (pos >= text.length()) {
                throw error("unexpected end of JSON input");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || c >= '0' && c <= '9') {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected object key");
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value());
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return s.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("bad unicode escape");
                        }
                        s.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Object number() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String n = text.substring(start, pos);
            try {
                return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
            } catch (NumberFormatException ex) {
                throw error("bad number " + n);
            }
        }

        private void literal(String word) {
            if (!text.startsWith(word, pos)) {
                throw error("bad literal");
            }
            pos += word.length();
        }

        void skipWhitespace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end of JSON input");
            }
            return text.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at offset " + pos);
        }
    }
}
