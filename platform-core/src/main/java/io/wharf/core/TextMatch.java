package io.wharf.core;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * What one text criterion of Harbor's {@code q} asks of a column, in SQL terms: the column must be
 * {@code LIKE pattern} (with {@code !} as escape character) and, unless {@link #anyValue()}, one of
 * {@link #oneOf()}. Both together express every form of {@link HarborQuery.Criterion} for a key that
 * has one value per row, so the database does the filtering:
 * <ul>
 *   <li>{@code k=v}: the pattern is {@code v} escaped (equality); {@code k=~v}: {@code %v%};</li>
 *   <li>{@code k={v1 v2}} (Harbor's union list): {@code IN (v1, v2)};</li>
 *   <li>{@code k=(v1 v2)} (Harbor's intersection list): the column must equal every value, so it is
 *       {@code IN (v1)} and {@code LIKE v2}; with two different values nothing matches.</li>
 * </ul>
 *
 * @param pattern a LIKE pattern with {@code !} as escape character; {@code %} for any value
 * @param oneOf   the values the column must be one of, never empty; null for any
 */
public record TextMatch(String pattern, @Nullable List<String> oneOf) {

    /** Any value (and, in a {@link #predicate}, also none: a null column). */
    public static final TextMatch ANY = new TextMatch("%", null);

    public TextMatch {
        if (oneOf != null && oneOf.isEmpty()) {
            throw new IllegalArgumentException("oneOf must not be empty");
        }
        oneOf = oneOf == null ? null : List.copyOf(oneOf);
    }

    /** Exactly {@code value}. */
    public static TextMatch exactly(String value) {
        return new TextMatch(LikePatterns.escape(value), null);
    }

    /** Any value that contains {@code fragment}. */
    public static TextMatch containing(String fragment) {
        return new TextMatch(LikePatterns.containing(fragment), null);
    }

    /** Any of {@code values} (at least one). */
    public static TextMatch anyOf(List<String> values) {
        return new TextMatch("%", values.stream().distinct().toList());
    }

    /** Equal to each of {@code values} (at least one): the one value when they are all the same, else nothing. */
    public static TextMatch allOf(List<String> values) {
        List<String> distinct = values.stream().distinct().toList();
        return distinct.size() == 1 ? exactly(distinct.get(0))
            : new TextMatch(LikePatterns.escape(distinct.get(1)), List.of(distinct.get(0)));
    }

    /** Whether the column may have any value as far as the {@code IN} part goes ({@link #oneOf()} is null). */
    public boolean anyValue() {
        return oneOf == null;
    }

    /**
     * The {@code IN} list for a JPQL query written as {@code (:anyValue = true OR column IN :values)}:
     * {@link #oneOf()}, or an unused one-element list when any value goes, since an empty {@code IN}
     * list is not portable SQL.
     */
    public List<String> values() {
        return oneOf == null ? List.of("") : oneOf;
    }

    /** This match as a criteria-API predicate over {@code column}; {@link #ANY} is always true, even for null. */
    public Predicate predicate(CriteriaBuilder cb, Expression<String> column) {
        List<Predicate> all = new ArrayList<>(2);
        if (!pattern.equals("%")) {
            all.add(cb.like(column, pattern, '!'));
        }
        if (oneOf != null) {
            all.add(column.in(oneOf));
        }
        return cb.and(all.toArray(Predicate[]::new));
    }
}
