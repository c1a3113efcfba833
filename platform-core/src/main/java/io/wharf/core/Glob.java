package io.wharf.core;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A name or tag pattern as Harbor's filters take them: a glob where {@code *} matches within one path
 * component, {@code **} across components, {@code ?} one character, {@code [abc]} a class and
 * {@code {a,b}} alternatives; or, with the prefix {@code regex:}, a Java regular expression that must
 * match the whole value.
 */
public final class Glob {

    private final String source;
    private final Pattern pattern;

    private Glob(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * Compiles {@code value}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a malformed pattern
     */
    public static Glob of(String value) {
        try {
            if (value.startsWith("regex:")) {
                return new Glob(value, Pattern.compile(value.substring("regex:".length())));
            }
            return new Glob(value, Pattern.compile(toRegex(value)));
        } catch (PatternSyntaxException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "bad pattern " + value + ": " + e.getDescription());
        }
    }

    /** Whether the whole {@code value} matches. */
    public boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    /**
     * The literal leading path components of a glob ({@code library} for {@code library/**}), which a
     * lister can enumerate instead of the whole registry; empty when the first component is a pattern.
     */
    public String literalPrefix() {
        if (source.startsWith("regex:")) {
            return "";
        }
        StringBuilder prefix = new StringBuilder();
        for (String part : source.split("/")) {
            if (part.chars().anyMatch(c -> "*?[{\\".indexOf(c) >= 0)) {
                break;
            }
            prefix.append(prefix.isEmpty() ? "" : "/").append(part);
        }
        return prefix.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(?:.*/)?"); // "**/" also matches no component
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new PatternSyntaxException("unclosed [", glob, i);
                    }
                    String body = glob.substring(i + 1, end);
                    regex.append('[').append(body.startsWith("!") ? "^" + body.substring(1) : body).append(']');
                    i = end;
                }
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new PatternSyntaxException("unbalanced }", glob, i);
                    }
                    braces--;
                    regex.append(')');
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces != 0) {
            throw new PatternSyntaxException("unclosed {", glob, glob.length());
        }
        return regex.toString();
    }
}
