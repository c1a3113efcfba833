package io.wharf.webhook.policy;

/**
 * A stored receiver as answers show it.
 *
 * @param authHeader {@link #MASK} when one is stored, else empty: the value is never shown
 */
public record WebhookTarget(String type, String address, String authHeader, boolean skipCertVerify, PayloadFormat payloadFormat) {

    /** What answers show instead of a stored {@code Authorization} value. */
    public static final String MASK = "******";
}
