package io.wharf.core;

/**
 * SQL {@code LIKE} patterns from user input, for queries that declare {@code ESCAPE '!'}: the
 * wildcards {@code %} and {@code _} in the input match themselves, never anything else.
 */
public final class LikePatterns {

    private LikePatterns() {
    }

    /** {@code literal} with {@code !}, {@code %} and {@code _} escaped by {@code !}. */
    public static String escape(String literal) {
        return literal.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** A pattern matching every value that contains {@code fragment}. */
    public static String containing(String fragment) {
        return "%" + escape(fragment) + "%";
    }
}
