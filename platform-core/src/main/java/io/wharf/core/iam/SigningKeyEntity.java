package io.wharf.core.iam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** The token signing key every node shares (row 1). */
@Entity
@Table(name = "signing_key")
class SigningKeyEntity {

    @Id
    Integer id;

    @Column(nullable = false)
    String kid;

    @Column(nullable = false)
    String algorithm;

    @Column(name = "private_key", nullable = false)
    String privateKey;

    @Column(name = "public_key", nullable = false)
    String publicKey;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;
}
