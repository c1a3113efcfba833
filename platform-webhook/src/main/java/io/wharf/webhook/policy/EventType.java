package io.wharf.webhook.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The events a webhook policy can subscribe to, named as Harbor names them, with the CloudEvents
 * {@code type} Harbor sends for each. Whether Wharf publishes the event yet is {@link #wired()}: every
 * event Harbor offers is published today.
 */
public enum EventType {
    PUSH_ARTIFACT("harbor.artifact.pushed", true),
    PULL_ARTIFACT("harbor.artifact.pulled", true),
    DELETE_ARTIFACT("harbor.artifact.deleted", true),
    SCANNING_COMPLETED("harbor.scan.completed", true),
    SCANNING_FAILED("harbor.scan.failed", true),
    QUOTA_WARNING("harbor.quota.warning", true),
    QUOTA_EXCEED("harbor.quota.exceed", true),
    REPLICATION("harbor.replication.status.changed", true);

    private final String cloudEventType;
    private final boolean wired;

    EventType(String cloudEventType, boolean wired) {
        this.cloudEventType = cloudEventType;
        this.wired = wired;
    }

    /** The CloudEvents {@code type} attribute for this event. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** Whether Wharf publishes this event today (else a policy may subscribe, but nothing is delivered yet). */
    public boolean wired() {
        return wired;
    }

    /**
     * The type named {@code name} (Harbor's spelling, any case).
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for any other name
     */
    public static EventType of(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.name().equals(wanted)).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT, "unknown event type " + name + "; supported: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))));
    }
}
