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

    String digest() {
        return digest;
    }

    long size() {
        return size;
    }
}
