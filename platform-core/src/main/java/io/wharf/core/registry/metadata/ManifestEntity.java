package io.wharf.core.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A manifest of a repository, indexed from its parsed content; the bytes are the blob of {@code digest}. */
@Entity
@Table(name = "manifest")
class ManifestEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(nullable = false)
    private long size;

    @Column(name = "artifact_type")
    private @Nullable String artifactType;

    @Column(name = "config_digest")
    private @Nullable String configDigest;

    @Column(name = "subject_digest")
    private @Nullable String subjectDigest;

    @Column(name = "annotations")
    private @Nullable String annotations;

    @Column(name = "pushed_at", nullable = false)
    private OffsetDateTime pushedAt;

    @Column(name = "pulled_at")
    private @Nullable OffsetDateTime pulledAt;

    @Column(name = "pull_count", nullable = false)
    private long pullCount;

    protected ManifestEntity() {
    }

    Long id() {
        return id;
    }

    String digest() {
        return digest;
    }

    String mediaType() {
        return mediaType;
    }

    long size() {
        return size;
    }

    @Nullable String artifactType() {
        return artifactType;
    }

    @Nullable String annotations() {
        return annotations;
    }

    @Nullable String subjectDigest() {
        return subjectDigest;
    }

    OffsetDateTime pushedAt() {
        return pushedAt;
    }

    long repositoryId() {
        return repositoryId;
    }

    @Nullable String configDigest() {
        return configDigest;
    }

    @Nullable OffsetDateTime pulledAt() {
        return pulledAt;
    }

    long pullCount() {
        return pullCount;
    }
}
