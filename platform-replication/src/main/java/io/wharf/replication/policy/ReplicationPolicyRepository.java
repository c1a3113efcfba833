package io.wharf.replication.policy;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface ReplicationPolicyRepository extends JpaRepository<ReplicationPolicyEntity, Long> {

    Optional<ReplicationPolicyEntity> findByName(String name);

    @Query("SELECT p FROM ReplicationPolicyEntity p WHERE p.name LIKE :pattern ESCAPE '!'")
    Page<ReplicationPolicyEntity> findByNameLike(String pattern, Pageable pageable);

    List<ReplicationPolicyEntity> findByEnabledTrueAndTriggerType(String triggerType);

    @Query(value = "SELECT COUNT(*) FROM replication_execution WHERE policy_id = :policyId AND status = 'InProgress'",
        nativeQuery = true)
    long countRunningExecutions(long policyId);
}
