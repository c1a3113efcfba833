package io.wharf.replication.endpoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.OffsetDateTime;

/** A remote registry; {@code accessSecret} holds the {@code SecretCipher} form of its password. */
@Entity
@Table(name = "registry_endpoint")
class RegistryEndpointEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String name;

    @Column(nullable = false)
    String type;

    @Column(nullable = false)
    String url;

    @Column(name = "access_key")
    @Nullable String accessKey;

    @Column(name = "access_secret")
    @Nullable String accessSecret;

    @Column(nullable = false)
    boolean insecure;

    @Column
    @Nullable String description;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    protected RegistryEndpointEntity() {
    }

    RegistryEndpointEntity(OffsetDateTime now) {
        this.createdAt = now;
        this.updatedAt = now;
    }

    RegistryEndpoint view() {
        return new RegistryEndpoint(id, name, EndpointType.of(type), URI.create(url), accessKey, accessSecret != null,
            insecure, description, createdAt, updatedAt);
    }
}
