package io.wharf.scanner.registration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The registration a project scans with (no row: the default). */
@Entity
@Table(name = "project_scanner")
class ProjectScannerEntity {

    @Id
    @Column(name = "project_id")
    Long projectId;

    @Column(name = "registration_id", nullable = false)
    Long registrationId;

    protected ProjectScannerEntity() {
    }

    ProjectScannerEntity(long projectId, long registrationId) {
        this.projectId = projectId;
        this.registrationId = registrationId;
    }
}
