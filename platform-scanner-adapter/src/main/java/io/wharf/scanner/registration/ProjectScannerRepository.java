package io.wharf.scanner.registration;

import org.springframework.data.jpa.repository.JpaRepository;

interface ProjectScannerRepository extends JpaRepository<ProjectScannerEntity, Long> {
}
