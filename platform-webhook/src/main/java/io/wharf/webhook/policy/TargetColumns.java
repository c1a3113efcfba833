package io.wharf.webhook.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.jspecify.annotations.Nullable;

/** One row of {@code webhook_target}; {@code authHeader} is the SecretCipher form. */
@Embeddable
class TargetColumns {

    @Column(nullable = false)
    String type;

    @Column(nullable = false)
    String address;

    @Column(name = "auth_header")
    @Nullable String authHeader;

    @Column(name = "skip_cert_verify", nullable = false)
    boolean skipCertVerify;

    @Column(name = "payload_format", nullable = false)
    String payloadFormat;

    protected TargetColumns() {
        this.type = "";
        this.address = "";
        this.payloadFormat = "";
    }

    TargetColumns(String type, String address, @Nullable String authHeader, boolean skipCertVerify, String payloadFormat) {
        this.type = type;
        this.address = address;
        this.authHeader = authHeader;
        this.skipCertVerify = skipCertVerify;
        this.payloadFormat = payloadFormat;
    }

    WebhookTarget view() {
        return new WebhookTarget(type, address, authHeader == null ? "" : WebhookTarget.MASK, skipCertVerify,
            PayloadFormat.of(payloadFormat));
    }
}
