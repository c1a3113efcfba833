package io.wharf.replication.endpoint;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.Optional;

interface RegistryEndpointRepository extends JpaRepository<RegistryEndpointEntity, Long> {

    Optional<RegistryEndpointEntity> findByName(String name);

    @Query("SELECT e FROM RegistryEndpointEntity e WHERE e.name LIKE :pattern ESCAPE '!'")
    Page<RegistryEndpointEntity> findByNameLike(String pattern, Pageable pageable);
}
