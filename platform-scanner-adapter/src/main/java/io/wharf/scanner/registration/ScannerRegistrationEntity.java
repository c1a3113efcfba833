package io.wharf.scanner.registration;

import io.wharf.scanner.client.AuthType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.OffsetDateTime;

/**
 * A scanner registration; {@code accessCredential} holds the {@code SecretCipher} form of the
 * credential. {@code isDefault} is TRUE for the default and NULL otherwise (a unique column).
 */
@Entity
@Table(name = "scanner_registration")
class ScannerRegistrationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String uuid;

    @Column(nullable = false, unique = true)
    String name;

    @Column
    @Nullable String description;

    @Column(nullable = false)
    String url;

    @Column(nullable = false)
    String auth;

    @Column(name = "access_credential")
    @Nullable String accessCredential;

    @Column(name = "skip_cert_verify", nullable = false)
    boolean skipCertVerify;

    @Column(name = "use_internal_addr", nullable = false)
    boolean useInternalAddr;

    @Column(nullable = false)
    boolean disabled;

    @Column(name = "is_default", unique = true)
    @Nullable Boolean isDefault;

    @Column
    @Nullable String adapter;

    @Column
    @Nullable String vendor;

    @Column
    @Nullable String version;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    protected ScannerRegistrationEntity() {
    }

    ScannerRegistrationEntity(String uuid, OffsetDateTime now) {
        this.uuid = uuid;
        this.createdAt = now;
        this.updatedAt = now;
    }

    ScannerRegistration view() {
        return new ScannerRegistration(uuid, name, description, URI.create(url), AuthType.of(auth), accessCredential != null,
            skipCertVerify, useInternalAddr, disabled, Boolean.TRUE.equals(isDefault), adapter, vendor, version,
            createdAt, updatedAt);
    }
}
