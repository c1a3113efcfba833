package io.wharf.webhook.policy;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface WebhookPolicyRepository extends JpaRepository<WebhookPolicyEntity, Long> {

    List<WebhookPolicyEntity> findByProjectIdOrderById(long projectId);

    Optional<WebhookPolicyEntity> findByProjectIdAndName(long projectId, String name);

    Optional<WebhookPolicyEntity> findByIdAndProjectId(long id, long projectId);
}
