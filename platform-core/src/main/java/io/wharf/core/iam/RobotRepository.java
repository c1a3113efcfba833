package io.wharf.core.iam;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface RobotRepository extends JpaRepository<RobotEntity, Long> {

    Optional<RobotEntity> findByName(String name);

    Page<RobotEntity> findByProjectIdOrderById(long projectId, Pageable pageable);

    Page<RobotEntity> findAllByOrderById(Pageable pageable);

    /** Removes every robot permission for project {@code namespace} (when the project is deleted). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(value = "DELETE FROM robot_permission WHERE namespace = :namespace", nativeQuery = true)
    int deletePermissionsFor(String namespace);
}
