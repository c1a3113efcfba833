package io.wharf.webhook.policy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.Arrays;

/** How a target receives events: Harbor's own JSON ({@code Default}) or a CloudEvents 1.0 JSON event. */
public enum PayloadFormat {
    DEFAULT("Default"),
    CLOUD_EVENTS("CloudEvents");

    private final String harborName;

    PayloadFormat(String harborName) {
        this.harborName = harborName;
    }

    /** Harbor's {@code payload_format} value. */
    public String harborName() {
        return harborName;
    }

    /**
     * The format named {@code name} (any case); blank means {@code Default}, as in Harbor.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for another name
     */
    public static PayloadFormat of(String name) {
        if (name.isBlank()) {
            return DEFAULT;
        }
        return Arrays.stream(values()).filter(f -> f.harborName.equalsIgnoreCase(name.trim())).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "payload_format must be Default or CloudEvents, not " + name));
    }
}
