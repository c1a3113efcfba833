package io.wharf.core.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The whole state of one blob upload in progress; see {@link UploadStore}. */
@Entity
@Table(name = "upload_session")
class UploadSessionEntity implements Persistable<UUID> {

    /** Rows are only ever inserted through {@code save}: no SELECT before the INSERT (keys are assigned here, not generated). */
    @Transient
    private boolean isNew = true;

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

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markPersisted() {
        isNew = false;
    }
}
