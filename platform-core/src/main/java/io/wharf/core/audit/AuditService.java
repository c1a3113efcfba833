package io.wharf.core.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** The audit log: who did what, when and from where. Entries are written in their own transaction. */
@Service
public class AuditService {

    private static final Logger log = LoggerFactory.getLogger(AuditService.class);

    private final AuditRepository entries;

    AuditService(AuditRepository entries) {
        this.entries = entries;
    }

    /** Records the event; a failure to record is logged and never fails the audited operation. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(AuditEvent event) {
        try {
            entries.save(new AuditEntity(event));
        } catch (RuntimeException e) {
            log.warn("Could not write audit entry {}: {}", event, e.toString());
        }
    }

    /** The newest entries first. */
    @Transactional(readOnly = true)
    public List<AuditRecord> recent(int limit) {
        return entries.findByOrderByIdDesc(PageRequest.of(0, limit)).stream().map(AuditEntity::toRecord).toList();
    }
}
