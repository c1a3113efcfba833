package io.wharf.core.audit;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

interface AuditRepository extends JpaRepository<AuditEntity, Long> {

    List<AuditEntity> findByOrderByIdDesc(Pageable pageable);

    Page<AuditEntity> findAllByOrderByIdDesc(Pageable pageable);
}
