package io.wharf.replication.policy;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface ReplicationPolicyRepository extends JpaRepository<ReplicationPolicyEntity, Long> {

    Optional<ReplicationPolicyEntity> findByName(String name);

    /** Names matching Harbor's {@code q} ({@link io.wharf.core.TextMatch}): a LIKE pattern and, unless {@code anyName}, one of {@code names}. */
    @Query("SELECT p FROM ReplicationPolicyEntity p WHERE p.name LIKE :pattern ESCAPE '!' AND (:anyName = true OR p.name IN :names)")
    Page<ReplicationPolicyEntity> search(String pattern, boolean anyName, java.util.List<String> names, Pageable pageable);

    List<ReplicationPolicyEntity> findByEnabledTrueAndTriggerType(String triggerType);

    @Query(value = "SELECT COUNT(*) FROM replication_execution WHERE policy_id = :policyId AND status = 'InProgress'",
        nativeQuery = true)
    long countRunningExecutions(long policyId);
}
