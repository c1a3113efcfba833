package io.wharf.core.iam;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface RobotRepository extends JpaRepository<RobotEntity, Long> {

    Optional<RobotEntity> findByName(String name);

    Page<RobotEntity> findByProjectIdOrderByNameAscIdAsc(long projectId, Pageable pageable);

    Page<RobotEntity> findAllByOrderByNameAscIdAsc(Pageable pageable);

    /** Removes every robot permission for project {@code namespace} (when the project is deleted). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(value = "DELETE FROM robot_permission WHERE namespace = :namespace", nativeQuery = true)
    int deletePermissionsFor(String namespace);

    /** The robot's id and version ({@code @Version}), when it exists and is active at {@code now}. */
    @org.springframework.data.jpa.repository.Query("select new io.wharf.core.iam.AccountStamp(r.id, r.version) from RobotEntity r"
        + " where r.name = :name and r.disabled = false and (r.expiresAt is null or r.expiresAt > :now)")
    Optional<AccountStamp> findActiveStamp(String name, java.time.OffsetDateTime now);

    /**
     * Increases the version of every robot with permissions for project {@code namespace}, before
     * they are removed in bulk: a bulk change bypasses {@code @Version}, and logins cached with the
     * old permissions must end.
     */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(value = "UPDATE robot SET version = version + 1 WHERE id IN "
        + "(SELECT robot_id FROM robot_permission WHERE namespace = :namespace)", nativeQuery = true)
    int increaseVersionsFor(String namespace);

    /** Replaces a legacy secret hash, only if it is still {@code old}; the version stays (the secret is the same). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(value = "UPDATE robot SET secret_hash = :fresh WHERE id = :id AND secret_hash = :old",
        nativeQuery = true)
    int rehashSecret(long id, String old, String fresh);
}
