package io.wharf.core.audit;

import jakarta.persistence.criteria.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.domain.Specification;

import java.util.ArrayList;
import java.util.List;

/** The criteria of an {@link AuditQuery} (and a project) as a JPA {@link Specification} over the audit table. */
final class AuditSpecifications {

    private AuditSpecifications() {
    }

    /** Entries that match every criterion of {@code query} and, when {@code project} is not null, belong to it. */
    static Specification<AuditEntity> matching(AuditQuery query, @Nullable String project) {
        return (root, criteria, cb) -> {
            List<Predicate> all = new ArrayList<>();
            if (project != null) {
                all.add(cb.equal(root.get("project"), project));
            }
            all.add(query.operation().predicate(cb, root.get("operation")));
            all.add(query.resourceType().predicate(cb, root.get("resourceType")));
            all.add(query.resource().predicate(cb, root.get("resource")));
            all.add(query.username().predicate(cb, root.get("username")));
            if (query.from() != null) {
                all.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), query.from()));
            }
            if (query.to() != null) {
                all.add(cb.lessThanOrEqualTo(root.get("occurredAt"), query.to()));
            }
            return cb.and(all.toArray(Predicate[]::new));
        };
    }
}
