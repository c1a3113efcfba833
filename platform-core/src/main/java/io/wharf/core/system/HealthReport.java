package io.wharf.core.system;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * Harbor's overall health: {@code healthy} only when every component is.
 *
 * @param status     {@link #HEALTHY} or {@link #UNHEALTHY}
 * @param components each checked component, by name
 */
public record HealthReport(String status, List<Component> components) {

    /** Harbor's status of a working component. */
    public static final String HEALTHY = "healthy";
    /** Harbor's status of a failing component. */
    public static final String UNHEALTHY = "unhealthy";

    /**
     * One component's health.
     *
     * @param name   {@code database} or {@code storage}
     * @param status {@link #HEALTHY} or {@link #UNHEALTHY}
     * @param error  why it is unhealthy; null when healthy
     */
    public record Component(String name, String status, @Nullable String error) {
    }
}
