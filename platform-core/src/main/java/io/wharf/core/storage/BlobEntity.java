package io.wharf.core.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A verified blob in the store. Its existence is what makes the stored bytes visible. */
@Entity
@Table(name = "blob")
class BlobEntity {

    @Id
    private String digest;

    @Column(nullable = false)
    private long size;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    protected BlobEntity() {
    }

    BlobEntity(String digest, long size, OffsetDateTime createdAt) {
        this.digest = digest;
        this.size = size;
        this.createdAt = createdAt;
    }

    String digest() {
        return digest;
    }

    long size() {
        return size;
    }
}
