package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;

interface ManifestReferenceRepository extends JpaRepository<ManifestReferenceEntity, ManifestReferenceEntity.Key> {
}
