package io.wharf.core.storage;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.gc.GcProperties;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.driver.PathNotFoundException;
import io.wharf.core.storage.driver.StorageDriver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Content-addressed blobs, stored once per digest for the whole registry. The bytes are written to
 * {@link StoragePaths#blob} first, by an atomic write or move; the {@code blob} row is inserted after,
 * and only the row makes a blob exist. Bytes without a row (a crash in between) are invisible.
 * Which repository may serve a blob is {@code LinkedBlobStore}'s business. There are two ways in:
 * {@link #ingest} for a stream with a known digest (manifests, replication, proxying), and
 * {@link #commit} for the verified chunks of an upload session.
 *
 * <p>Garbage collection (docs/gc.md): every use of a blob that already exists marks it
 * ({@code blob.marked_at}, {@link #claim}) before relying on it, and every write of new bytes first
 * removes the collector's record of a stray object at that path, in the transaction that inserts the
 * row, so the collector never removes bytes a writer is about to make visible.
 */
@Component
public class BlobStore {

    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

    private final StorageDriver driver;
    private final BlobRepository blobs;
    private final Clock clock;
    private final TransactionOperations transactions;

    /** A mark younger than this is not renewed ({@link GcProperties#markFreshness()}). */
    private final Duration markFreshness;

    @Autowired
    BlobStore(StorageDriver driver, BlobRepository blobs, Clock clock, PlatformTransactionManager transactions, GcProperties gc) {
        this(driver, blobs, clock, new TransactionTemplate(transactions), gc.markFreshness());
    }

    BlobStore(StorageDriver driver, BlobRepository blobs, Clock clock, TransactionOperations transactions) {
        this(driver, blobs, clock, transactions, Duration.ZERO);
    }

    private BlobStore(StorageDriver driver, BlobRepository blobs, Clock clock, TransactionOperations transactions,
                      Duration markFreshness) {
        this.driver = driver;
        this.blobs = blobs;
        this.clock = clock;
        this.transactions = transactions;
        this.markFreshness = markFreshness;
    }

    /** The bytes all blobs take in the store, each digest counted once however many repositories link it. */
    @Transactional(readOnly = true)
    public long totalSize() {
        return blobs.totalSize();
    }

    /** The blob's size, when it exists anywhere in the registry. */
    @Transactional(readOnly = true)
    public Optional<BlobInfo> stat(Digest digest) {
        return blobs.findById(digest.toString()).map(b -> new BlobInfo(digest, b.size()));
    }

    /**
     * Opens the blob's bytes from {@code offset}. The caller closes the stream.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the store lost the bytes
     */
    public InputStream open(Digest digest, long offset) {
        try {
            return driver.read(StoragePaths.blob(digest), offset);
        } catch (PathNotFoundException e) {
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole content of a small blob (a manifest); never call it for layers. */
    public byte[] read(Digest digest) {
        try (InputStream in = open(digest, 0)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams {@code content} into the store while computing its digest, and makes it the blob
     * {@code expected} only when the digest (and {@code expectedSize}, when given) match: the bytes go
     * to a temporary object ({@link StoragePaths#ingest}), are moved into place by the driver's atomic
     * move, and only then is the {@code blob} row inserted. Memory use is constant whatever the size.
     *
     * <p>When the blob already exists, {@code content} is not read at all (the digest names the
     * content, and a proxy or replication caller can then abort its download by closing the stream);
     * only {@code expectedSize} is checked against the stored size. The stream is never closed here:
     * it belongs to the caller. No transaction is held while bytes stream.
     *
     * @param expected     the digest the content must have
     * @param expectedSize the size the content must have, or null when unknown; a longer stream is cut
     *                     off as soon as it exceeds it
     * @return the blob, stored or already present
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} when the content has another digest,
     *         {@link ErrorCode#SIZE_INVALID} when it has another size; in both cases nothing becomes
     *         visible and the temporary object is removed
     * @throws UncheckedIOException when reading {@code content} or writing the store fails (the
     *         temporary object is removed)
     */
    public BlobInfo ingest(Digest expected, @Nullable Long expectedSize, InputStream content) {
        Optional<BlobInfo> existing = claim(expected);
        if (existing.isPresent()) {
            checkSize(expected, expectedSize, existing.get().size());
            return existing.get();
        }
        String temporary = StoragePaths.ingest();
        VerifyingInputStream verifying = new VerifyingInputStream(content, Digest.newMessageDigest(expected.algorithm()),
            expectedSize == null ? Long.MAX_VALUE : expectedSize);
        boolean moved = false;
        try {
            driver.write(temporary, verifying);
            checkSize(expected, expectedSize, verifying.count());
            Digest actual = Digest.from(expected.algorithm(), verifying.digest());
            if (!actual.equals(expected)) {
                throw new PlatformException(ErrorCode.DIGEST_INVALID,
                    "the content has digest " + actual + ", not " + expected);
            }
            publish(expected, verifying.count(), () -> driver.move(temporary, StoragePaths.blob(expected)));
            moved = true;
        } catch (VerifyingInputStream.TooLong e) {
            throw new PlatformException(ErrorCode.SIZE_INVALID, "the content of " + expected + " is longer than "
                + expectedSize + " bytes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!moved) {
                deleteQuietly(temporary);
            }
        }
        return new BlobInfo(expected, verifying.count());
    }

    /** {@link #ingest(Digest, Long, InputStream)} without an expected size. */
    public BlobInfo ingest(Digest expected, InputStream content) {
        return ingest(expected, null, content);
    }

    /**
     * Makes the verified content of {@code chunks} (store paths, in order) the blob {@code digest}:
     * one chunk is moved into place, several are concatenated; nothing is done when the blob exists.
     */
    @Transactional
    public BlobInfo commit(Digest digest, long size, List<String> chunks) {
        if (claim(digest).isEmpty()) {
            String target = StoragePaths.blob(digest);
            try {
                publish(digest, size, () -> {
                    if (chunks.isEmpty()) {
                        driver.write(target, InputStream.nullInputStream());
                    } else if (chunks.size() == 1) {
                        driver.move(chunks.get(0), target);
                    } else {
                        driver.concatenate(chunks, target);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new BlobInfo(digest, size);
    }

    /**
     * Marks the blob as used now, when it exists, and returns it; the first step of every use of a blob
     * that may already be stored (a push, a mount, a server-side copy). Once this returns, the
     * collector leaves the blob alone for the grace period; when it returns empty the blob is not
     * stored (or was collected while this waited) and the caller writes it.
     */
    @Transactional
    public Optional<BlobInfo> claim(Digest digest) {
        OffsetDateTime now = now();
        if (!markFreshness.isZero()) {
            Optional<Long> fresh = blobs.findSizeMarkedSince(digest.toString(), now.minus(markFreshness));
            if (fresh.isPresent()) {
                return Optional.of(new BlobInfo(digest, fresh.get())); // marked lately: no write, no lock (docs/gc.md)
            }
        }
        if (blobs.mark(digest.toString(), now) == 0) {
            return Optional.empty();
        }
        return stat(digest);
    }

    /**
     * Writes new bytes with {@code write} and inserts their row, in one transaction that first takes the
     * object's path from the collector's stray records (waiting while the collector deletes it).
     */
    private void publish(Digest digest, long size, StoreWrite write) throws IOException {
        IOException[] failure = new IOException[1];
        transactions.executeWithoutResult(status -> {
            blobs.forgetStray(StoragePaths.blob(digest));
            try {
                write.run();
            } catch (IOException e) {
                failure[0] = e;
                return;
            }
            blobs.insertIfAbsent(digest.toString(), size, now());
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @FunctionalInterface
    private interface StoreWrite {
        void run() throws IOException;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    // ---- garbage collection ------------------------------------------------------------------

    /**
     * Deletes the bytes of {@code digests} from the store in batches (the driver's batch delete). Only
     * the collector calls it, holding the rows of these blobs locked and deleting them after.
     */
    public void deleteBytes(Collection<Digest> digests) {
        try {
            driver.deleteAll(digests.stream().map(StoragePaths::blob).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A store object that no {@code blob} row names: blob bytes without their row, or an ingest temporary. */
    public record StrayObject(String path, long size) {
    }

    /**
     * The objects under {@code blobs/} whose digest has no row, and every object under {@code ingest/};
     * at most {@code limit}. Uploads are not here: their purge removes data without a session.
     */
    @Transactional(readOnly = true)
    public List<StrayObject> strayObjects(int limit) {
        try {
            List<StrayObject> stray = new ArrayList<>();
            List<String> blobPaths = driver.list("blobs");
            for (int i = 0; i < blobPaths.size() && stray.size() < limit; i += 500) {
                List<String> batch = blobPaths.subList(i, Math.min(blobPaths.size(), i + 500));
                Set<String> existing = new HashSet<>(blobs.findExisting(batch.stream().map(BlobStore::digestOf)
                    .filter(d -> d != null).toList()));
                for (String path : batch) {
                    String digest = digestOf(path);
                    if ((digest == null || !existing.contains(digest)) && stray.size() < limit) {
                        stray.add(new StrayObject(path, sizeOrZero(path)));
                    }
                }
            }
            for (String path : driver.list("ingest")) {
                if (stray.size() < limit) {
                    stray.add(new StrayObject(path, sizeOrZero(path)));
                }
            }
            return stray;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the stray objects among {@code paths} (recorded by the collector as seen without a row)
     * that are still recorded and still without a row, holding their records locked: a writer of new
     * bytes at one of these paths removes the record first, so it either waits for this delete or has
     * taken the path out of it.
     *
     * @param dryRun whether to only say what would be deleted (nothing is locked or deleted)
     * @return the paths deleted
     */
    @Transactional
    public List<String> deleteStray(Collection<String> paths, boolean dryRun) {
        if (paths.isEmpty()) {
            return List.of();
        }
        Set<String> recorded = new HashSet<>(dryRun ? blobs.findStray(paths) : blobs.lockStray(paths));
        List<String> blobPaths = paths.stream().filter(recorded::contains).filter(p -> p.startsWith("blobs/")).toList();
        Set<String> existing = blobPaths.isEmpty() ? Set.of() : new HashSet<>(blobs.findExisting(
            blobPaths.stream().map(BlobStore::digestOf).filter(d -> d != null).toList()));
        List<String> gone = paths.stream().filter(recorded::contains)
            .filter(p -> !p.startsWith("blobs/") || !existing.contains(digestOf(p))).toList();
        if (!dryRun && !gone.isEmpty()) {
            try {
                driver.deleteAll(gone);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return gone;
    }

    /** The digest that {@code blobs/<algorithm>/<xx>/<hex>/data} holds, or null for another path. */
    private static @Nullable String digestOf(String path) {
        String[] parts = path.split("/");
        if (parts.length != 5 || !parts[0].equals("blobs") || !parts[4].equals("data")) {
            return null;
        }
        return parts[1] + ":" + parts[3];
    }

    private long sizeOrZero(String path) throws IOException {
        try {
            return driver.size(path);
        } catch (PathNotFoundException e) {
            return 0;
        }
    }

    private static void checkSize(Digest digest, @Nullable Long expected, long actual) {
        if (expected != null && expected != actual) {
            throw new PlatformException(ErrorCode.SIZE_INVALID,
                "the content of " + digest + " has " + actual + " bytes, not " + expected);
        }
    }

    private void deleteQuietly(String path) {
        try {
            driver.delete(path);
        } catch (IOException e) {
            log.warn("Could not delete temporary object {}: {}", path, e.toString());
        }
    }

    /** A presigned URL for the blob, when the driver redirects. */
    public Optional<String> redirectUrl(Digest digest) {
        return driver.redirectUrl(StoragePaths.blob(digest));
    }

    /** The local file of the blob, when the driver keeps files (zero-copy sends). */
    public Optional<Path> localFile(Digest digest) {
        return driver.localFile(StoragePaths.blob(digest));
    }
}
