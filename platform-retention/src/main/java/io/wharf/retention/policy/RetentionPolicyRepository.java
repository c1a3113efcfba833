package io.wharf.retention.policy;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface RetentionPolicyRepository extends JpaRepository<RetentionPolicyEntity, Long> {

    Optional<RetentionPolicyEntity> findByProjectId(long projectId);

    List<RetentionPolicyEntity> findByCronIsNotNull();
}
