package io.wharf.replication.endpoint;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.Optional;

interface RegistryEndpointRepository extends JpaRepository<RegistryEndpointEntity, Long> {

    Optional<RegistryEndpointEntity> findByName(String name);

    /** Names matching Harbor's {@code q} ({@link io.wharf.core.TextMatch}): a LIKE pattern and, unless {@code anyName}, one of {@code names}. */
    @Query("SELECT e FROM RegistryEndpointEntity e WHERE e.name LIKE :pattern ESCAPE '!' AND (:anyName = true OR e.name IN :names)")
    Page<RegistryEndpointEntity> search(String pattern, boolean anyName, java.util.List<String> names, Pageable pageable);
}
