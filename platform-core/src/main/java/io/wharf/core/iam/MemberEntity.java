package io.wharf.core.iam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A user's role in a project. */
@Entity
@Table(name = "project_member")
class MemberEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "project_id", nullable = false)
    long projectId;

    @Column(name = "user_id", nullable = false)
    long userId;

    @Column(name = "role_id", nullable = false)
    int roleId;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt;

    protected MemberEntity() {
    }

    MemberEntity(long projectId, long userId, Role role) {
        this.projectId = projectId;
        this.userId = userId;
        this.roleId = role.id();
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = this.createdAt;
    }
}
