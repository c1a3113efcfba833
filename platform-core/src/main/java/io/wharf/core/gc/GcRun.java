package io.wharf.core.gc;

import java.time.OffsetDateTime;

/**
 * One collection, as the history shows it.
 *
 * @param trigger          {@code Manual} or {@code Schedule}
 * @param status           {@code Pending}, {@code Running}, {@code Success} or {@code Error}
 * @param manifestsDeleted untagged manifests deleted
 * @param linksDeleted     blob links removed from repositories whose manifests no longer refer to them
 * @param blobsDeleted     blobs removed from the store and the database
 * @param objectsDeleted   store objects without a row removed
 * @param freedBytes       bytes of the blobs and objects removed (what a dry run would remove)
 */
public record GcRun(long id, String trigger, String status, GcParameters parameters, long manifestsDeleted,
                    long linksDeleted, long blobsDeleted, long objectsDeleted, long freedBytes,
                    OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
