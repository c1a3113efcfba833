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

    /** The robot's version ({@code @Version}), when it exists and is active at {@code now}. */
    @org.springframework.data.jpa.repository.Query("select r.version from RobotEntity r where r.name = :name"
        + " and r.disabled = false and (r.expiresAt is null or r.expiresAt > :now)")
    Optional<Long> findActiveVersion(String name, java.time.OffsetDateTime now);
}
