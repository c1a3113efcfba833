package io.wharf.core.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A tag: a name in a repository pointing at one manifest. */
@Entity
@Table(name = "tag")
class TagEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String name;

    @Column(name = "manifest_id", nullable = false)
    private long manifestId;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Column(name = "pulled_at")
    private @Nullable OffsetDateTime pulledAt;

    protected TagEntity() {
    }

    TagEntity(long repositoryId, String name, long manifestId) {
        this.repositoryId = repositoryId;
        this.name = name;
        this.manifestId = manifestId;
        this.updatedAt = OffsetDateTime.now();
    }

    long manifestId() {
        return manifestId;
    }

    Long id() {
        return id;
    }

    long repositoryId() {
        return repositoryId;
    }

    String name() {
        return name;
    }

    OffsetDateTime updatedAt() {
        return updatedAt;
    }

    @Nullable OffsetDateTime pulledAt() {
        return pulledAt;
    }

    void pointTo(long manifestId) {
        this.manifestId = manifestId;
        this.updatedAt = OffsetDateTime.now();
    }
}
