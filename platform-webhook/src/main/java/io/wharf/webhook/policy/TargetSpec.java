package io.wharf.webhook.policy;

import org.jspecify.annotations.Nullable;

/**
 * A receiver as a caller gives it.
 *
 * @param type           {@code http} (Harbor's {@code slack} is not supported)
 * @param address        the absolute http(s) URL events are POSTed to
 * @param authHeader     the {@code Authorization} header value; null (or the mask shown in answers)
 *                       keeps the stored one on update, empty removes it
 * @param payloadFormat  {@code Default} or {@code CloudEvents}; null means {@code Default}
 */
public record TargetSpec(@Nullable String type, @Nullable String address, @Nullable String authHeader,
                         boolean skipCertVerify, @Nullable String payloadFormat) {
}
