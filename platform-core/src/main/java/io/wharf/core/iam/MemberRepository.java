package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface MemberRepository extends JpaRepository<MemberEntity, Long> {

    Optional<MemberEntity> findByProjectIdAndUserId(long projectId, long userId);

    List<MemberEntity> findByProjectIdOrderById(long projectId);

    List<MemberEntity> findByUserId(long userId);
}
