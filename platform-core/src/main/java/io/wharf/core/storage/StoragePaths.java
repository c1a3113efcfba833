package io.wharf.core.storage;

import io.wharf.core.registry.digest.Digest;

import java.util.UUID;

/**
 * The layout of the object store. Everything tenant- or repository-shaped lives in the database;
 * the store holds only content-addressed blobs and in-progress uploads:
 *
 * <pre>
 * blobs/
 *   sha256/ab/abcdef…/data          one object per digest, shared by every repository
 *   sha512/12/1234…/data
 * uploads/
 *   &lt;upload uuid&gt;/
 *     0000000000000000000-&lt;nonce&gt;    one object per accepted chunk, named by its start offset;
 *     0000000000005242880-&lt;nonce&gt;    the upload session row lists the chunks that count
 * ingest/
 *   &lt;uuid&gt;                          one temporary object per {@code BlobStore.ingest} in progress:
 *                                   streamed and hashed here, moved to blobs/ once its digest
 *                                   matched, deleted when it did not or the stream failed
 * health/
 *   &lt;node uuid&gt;                     a few bytes each node writes, reads back and deletes to check
 *                                   that the store is usable (the storage health check)
 * </pre>
 *
 * A blob object appears only after its digest was verified, and only by an atomic write or move.
 * {@code ingest/} is separate from {@code uploads/} because the upload purge removes upload data
 * that belongs to no session; an ingest has no session.
 */
public final class StoragePaths {

    private StoragePaths() {
    }

    /** The object that holds the bytes of {@code digest}. */
    public static String blob(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data";
    }

    /** A new, unique temporary object for one streamed ingest of a blob (see the layout above). */
    public static String ingest() {
        return "ingest/" + UUID.randomUUID();
    }

    /** The folder of all uploads in progress. */
    public static String uploads() {
        return "uploads";
    }

    /** The folder of one upload's chunks. */
    public static String upload(UUID id) {
        return "uploads/" + id;
    }

    /** A new, unique object name for a chunk of upload {@code id} starting at {@code offset}. */
    public static String uploadChunk(UUID id, long offset) {
        return upload(id) + "/" + String.format("%019d", offset) + "-" + UUID.randomUUID();
    }

    /** The small object one node's storage health check writes, reads back and deletes. */
    public static String healthCheck(UUID node) {
        return "health/" + node;
    }
}
