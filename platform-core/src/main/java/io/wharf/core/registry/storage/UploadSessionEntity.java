package io.wharf.core.registry.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The whole state of one blob upload in progress; see {@link UploadStore}. */
@Entity
@Table(name = "upload_session")
class UploadSessionEntity {

    @Id
    private UUID id;

    @Column(name = "repository_name", nullable = false)
    private String repositoryName;

    @Column(nullable = false)
    private long size;

    @Column(nullable = false)
    private String chunks;

    @Column(name = "started_at", nullable = false)
    private OffsetDateTime startedAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected UploadSessionEntity() {
    }

    UploadSessionEntity(UUID id, String repositoryName) {
        this.id = id;
        this.repositoryName = repositoryName;
        this.size = 0;
        this.chunks = "";
        this.startedAt = OffsetDateTime.now();
        this.updatedAt = this.startedAt;
    }

    UUID id() {
        return id;
    }

    String repositoryName() {
        return repositoryName;
    }

    long size() {
        return size;
    }

    String chunks() {
        return chunks;
    }
}
