package io.wharf.core.audit;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

/**
 * What the audit log says in numbers, for the statistics use cases ({@code system}): entries counted
 * per day by the database, and the newest entries of one operation. It checks no access: its callers
 * did, and name the projects whose entries count.
 */
@Component
public class AuditCounts {

    private final AuditRepository entries;

    AuditCounts(AuditRepository entries) {
        this.entries = entries;
    }

    /**
     * How many entries of each of {@code operations} fall on each day (UTC) from {@code from}
     * (inclusive) to {@code to} (exclusive): of every project when {@code everything}, else of
     * {@code projects}. Days without entries are left out.
     */
    @Transactional(readOnly = true)
    public List<DayCount> perDay(Collection<String> operations, Instant from, Instant to, boolean everything,
                                 Collection<String> projects) {
        if (operations.isEmpty() || (!everything && projects.isEmpty())) {
            return List.of();
        }
        return entries.countPerDay(operations, utc(from), utc(to), everything, inList(projects)).stream()
            .map(row -> new DayCount(LocalDate.ofEpochDay(((Number) row[1]).longValue()), (String) row[0],
                ((Number) row[2]).longValue()))
            .toList();
    }

    /** The newest {@code limit} entries of {@code operation}, newest first: of every project when {@code everything}, else of {@code projects}. */
    @Transactional(readOnly = true)
    public List<AuditRecord> newest(String operation, boolean everything, Collection<String> projects, int limit) {
        if (!everything && projects.isEmpty()) {
            return List.of();
        }
        return entries.findNewest(operation, everything, inList(projects), PageRequest.of(0, limit)).stream()
            .map(AuditEntity::toRecord).toList();
    }

    /** Never an empty IN list; no project is named "". */
    private static Collection<String> inList(Collection<String> projects) {
        return projects.isEmpty() ? List.of("") : projects;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * The number of entries of one operation on one day.
     *
     * @param day       the day, in UTC
     * @param operation the operation ({@code push}, {@code pull}...)
     * @param count     how many entries, at least 1
     */
    public record DayCount(LocalDate day, String operation, long count) {
    }
}
