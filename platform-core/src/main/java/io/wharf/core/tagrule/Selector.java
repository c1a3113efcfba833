package io.wharf.core.tagrule;

import io.wharf.core.Glob;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

import java.util.Set;

/**
 * One of Harbor's rule selectors: kind {@code doublestar}, a decoration and a pattern. Tag selectors
 * are decorated {@code matches} or {@code excludes}, repository selectors {@code repoMatches} or
 * {@code repoExcludes}; the pattern is a doublestar glob ({@code *}, {@code **}, {@code ?},
 * {@code [abc]}, {@code {a,b}}; see {@link Glob}) matched against the tag, or against the repository
 * path inside its project ({@code app} or {@code team/app} for {@code library/team/app}), as Harbor does.
 */
public record Selector(String decoration, String pattern) {

    /** The only kind Harbor's immutability and retention rules take. */
    public static final String KIND = "doublestar";
    public static final Set<String> TAG_DECORATIONS = Set.of("matches", "excludes");
    public static final Set<String> REPOSITORY_DECORATIONS = Set.of("repoMatches", "repoExcludes");

    /**
     * A checked tag selector.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for another kind or decoration, an empty or malformed pattern
     */
    public static Selector tag(@Nullable String kind, @Nullable String decoration, @Nullable String pattern) {
        return checked("tag", TAG_DECORATIONS, kind, decoration, pattern);
    }

    /** A checked repository selector; as {@link #tag}. */
    public static Selector repository(@Nullable String kind, @Nullable String decoration, @Nullable String pattern) {
        return checked("repository", REPOSITORY_DECORATIONS, kind, decoration, pattern);
    }

    private static Selector checked(String what, Set<String> decorations, @Nullable String kind, @Nullable String decoration,
                                    @Nullable String pattern) {
        if (kind != null && !KIND.equals(kind)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, what + " selector kind must be doublestar, not " + kind);
        }
        if (decoration == null || !decorations.contains(decoration)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                what + " selector decoration must be one of " + String.join(", ", decorations.stream().sorted().toList())
                    + ", not " + decoration);
        }
        if (pattern == null || pattern.isBlank()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, what + " selector pattern is required");
        }
        Glob.of(pattern);
        return new Selector(decoration, pattern);
    }

    /** Whether {@code value} is selected: it matches the pattern, or does not for an excluding decoration. */
    public boolean selects(String value) {
        boolean matches = Glob.of(pattern).matches(value);
        return decoration.endsWith("xcludes") != matches;
    }

    /** {@code matching v*} or {@code excluding v*}, for messages and logs. */
    public String describe() {
        return (decoration.endsWith("xcludes") ? "excluding " : "matching ") + pattern;
    }
}
