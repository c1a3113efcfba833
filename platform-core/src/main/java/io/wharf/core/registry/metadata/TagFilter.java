package io.wharf.core.registry.metadata;

/**
 * Which tags the manifests of an artifact listing must carry (Harbor's {@code q=tags=...}).
 *
 * @param mode    0: any manifest; 1: those with a tag matching {@code pattern}; 2: those without tags
 * @param pattern a LIKE pattern with {@code !} as escape character, used in mode 1
 */
public record TagFilter(int mode, String pattern) {

    /** Every manifest, tagged or not. */
    public static final TagFilter ANY = new TagFilter(0, "%");
    /** Manifests with at least one tag ({@code tags=*}). */
    public static final TagFilter TAGGED = new TagFilter(1, "%");
    /** Manifests without tags ({@code tags=nil}). */
    public static final TagFilter UNTAGGED = new TagFilter(2, "%");

    /** Manifests with a tag matching the LIKE {@code pattern} ({@code !} escapes). */
    public static TagFilter matching(String pattern) {
        return new TagFilter(1, pattern);
    }
}
