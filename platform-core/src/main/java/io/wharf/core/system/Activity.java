package io.wharf.core.system;

import org.jspecify.annotations.Nullable;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What happened in the projects a caller sees, for the console's dashboard: the storage they use, the
 * projects that use the most, pushes and pulls per day and the newest pushes.
 *
 * @param storageUsed      bytes used: of the whole registry (every blob, each digest once) for system
 *                         administrators, else of the projects the caller sees (each digest once)
 * @param storageByProject the projects that hold the most bytes, the largest first; projects holding
 *                         nothing are left out
 * @param days             pushes and pulls on each of the last days (UTC), the oldest first, today last;
 *                         days without any have zeros
 * @param recentPushes     the newest pushes, newest first
 */
public record Activity(long storageUsed, List<ProjectStorage> storageByProject, List<Day> days, List<Push> recentPushes) {

    /**
     * The bytes a project holds: the blobs linked to its repositories and its manifests, each digest
     * counted once in the project.
     */
    public record ProjectStorage(String project, long bytes) {
    }

    /** The pushes and pulls of artifacts on {@code day} (UTC). */
    public record Day(LocalDate day, long pushes, long pulls) {
    }

    /**
     * A push, as the audit log recorded it; who pushed is left out (only readers of a project's log
     * learn that).
     *
     * @param repository the repository's full name
     * @param reference  the tag, or the digest when pushed by digest
     * @param at         when
     */
    public record Push(String repository, String reference, OffsetDateTime at) {

        /** The push the audit log names {@code resource} ({@code <repository>:<tag or digest>}); null for anything else. */
        static @Nullable Push of(@Nullable String resource, OffsetDateTime at) {
            if (resource == null) {
                return null;
            }
            int colon = resource.indexOf(':');
            return colon <= 0 ? null : new Push(resource.substring(0, colon), resource.substring(colon + 1), at);
        }
    }
}
