package io.wharf.core.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A repository row: the name every link, manifest and tag hangs from. */
@Entity
@Table(name = "repository")
class RepositoryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String project;

    @Column
    private @Nullable String description;

    @Column(name = "pull_count", nullable = false)
    private long pullCount;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected RepositoryEntity() {
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    @Nullable String description() {
        return description;
    }

    long pullCount() {
        return pullCount;
    }

    OffsetDateTime createdAt() {
        return createdAt;
    }

    OffsetDateTime updatedAt() {
        return updatedAt;
    }

    void describe(@Nullable String description, OffsetDateTime at) {
        this.description = description;
        this.updatedAt = at;
    }
}
