package io.wharf.core.tagrule;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface ImmutableTagRuleRepository extends JpaRepository<ImmutableTagRuleEntity, Long> {

    List<ImmutableTagRuleEntity> findByProjectIdOrderByPriorityAscIdAsc(long projectId);

    List<ImmutableTagRuleEntity> findByProjectIdAndDisabledFalseOrderByPriorityAscIdAsc(long projectId);

    Optional<ImmutableTagRuleEntity> findByIdAndProjectId(long id, long projectId);
}
