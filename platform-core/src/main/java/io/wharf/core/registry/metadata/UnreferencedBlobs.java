package io.wharf.core.registry.metadata;

import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;

/**
 * Blob rows that no repository links and no manifest is, last marked before a cutoff: what the garbage
 * collector deletes (docs/gc.md). Both methods run in the collector's transaction, which holds the rows
 * locked from {@link #lock} until the bytes and the rows are gone.
 */
@Component
public class UnreferencedBlobs {

    private final UnreferencedBlobRepository blobs;

    UnreferencedBlobs(UnreferencedBlobRepository blobs) {
        this.blobs = blobs;
    }

    /**
     * Locks up to {@code limit} unreferenced blobs that no other transaction holds (another node's
     * collector, a writer marking one of them), then returns those still unreferenced: the second query
     * is a new statement, so it sees a link or a mark committed while this waited for the locks.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<BlobInfo> lock(OffsetDateTime cutoff, int limit) {
        List<String> locked = blobs.lockUnreferenced(cutoff, limit);
        if (locked.isEmpty()) {
            return List.of();
        }
        return blobs.stillUnreferenced(locked, cutoff).stream()
            .map(r -> new BlobInfo(Digest.parse(r.getDigest()), r.getSize())).toList();
    }

    /** Deletes the rows of {@code digests}, locked by {@link #lock} in this transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void delete(Collection<Digest> digests) {
        if (!digests.isEmpty()) {
            blobs.delete(digests.stream().map(Digest::toString).toList());
        }
    }

}
