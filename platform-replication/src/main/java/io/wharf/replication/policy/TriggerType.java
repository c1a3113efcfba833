package io.wharf.replication.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.Arrays;

/** When a policy runs, by Harbor's trigger names. */
public enum TriggerType {
    MANUAL("manual"), SCHEDULED("scheduled"), EVENT_BASED("event_based");

    private final String id;

    TriggerType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown name */
    public static TriggerType of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "trigger type is manual, scheduled or event_based, not " + id));
    }
}
