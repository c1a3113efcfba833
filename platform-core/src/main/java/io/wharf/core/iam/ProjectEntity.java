package io.wharf.core.iam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;

/** A project: the first path segment of its repositories' names, with visibility and an owner. */
@Entity
@Table(name = "project")
class ProjectEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, unique = true)
    String name;

    @Column(name = "public", nullable = false)
    boolean isPublic;

    @Column(name = "owner_id")
    @Nullable Long ownerId;

    @Column(name = "registry_id")
    @Nullable Long registryId;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    protected ProjectEntity() {
    }

    ProjectEntity(String name, boolean isPublic, @Nullable Long ownerId) {
        this.name = name;
        this.isPublic = isPublic;
        this.ownerId = ownerId;
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = this.createdAt;
    }

    Project toProject() {
        return new Project(id, name, isPublic, ownerId, createdAt, updatedAt, registryId);
    }
}
