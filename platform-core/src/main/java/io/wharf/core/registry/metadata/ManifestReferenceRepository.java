package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;
import java.util.List;

interface ManifestReferenceRepository extends JpaRepository<ManifestReferenceEntity, ManifestReferenceEntity.Key> {

    List<ManifestReferenceEntity> findByKeyManifestIdInOrderByKeyManifestIdAscKeyPositionAsc(Collection<Long> manifestIds);
}
