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
            AuditQuery.Fuzzy fuzzy = query.fuzzy();
            text(all, cb, root.get("operation"), query.operation(), fuzzy.operation());
            text(all, cb, root.get("resourceType"), query.resourceType(), fuzzy.resourceType());
            text(all, cb, root.get("resource"), query.resource(), fuzzy.resource());
            text(all, cb, root.get("username"), query.username(), fuzzy.username());
            if (query.from() != null) {
                all.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), query.from()));
            }
            if (query.to() != null) {
                all.add(cb.lessThanOrEqualTo(root.get("occurredAt"), query.to()));
            }
            return cb.and(all.toArray(Predicate[]::new));
        };
    }

    private static void text(List<Predicate> all, jakarta.persistence.criteria.CriteriaBuilder cb,
                             jakarta.persistence.criteria.Path<String> column, @Nullable String value, boolean contains) {
        if (value == null) {
            return;
        }
        if (contains) {
            String pattern = io.wharf.core.LikePatterns.containing(value);
            all.add(cb.like(column, pattern, '!'));
        } else {
            all.add(cb.equal(column, value));
        }
    }
}
