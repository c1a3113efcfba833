package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface ProjectRepository extends JpaRepository<ProjectEntity, Long> {

    Optional<ProjectEntity> findByName(String name);
}
