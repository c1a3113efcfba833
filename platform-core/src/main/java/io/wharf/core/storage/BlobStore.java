package io.wharf.core.storage;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.driver.PathNotFoundException;
import io.wharf.core.storage.driver.StorageDriver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed blobs, stored once per digest for the whole registry. The bytes are written to
 * {@link StoragePaths#blob} first, by an atomic write or move; the {@code blob} row is inserted after,
 * and only the row makes a blob exist. Bytes without a row (a crash in between) are invisible.
 * Which repository may serve a blob is {@code LinkedBlobStore}'s business. There are two ways in:
 * {@link #ingest} for a stream with a known digest (manifests, replication, proxying), and
 * {@link #commit} for the verified chunks of an upload session.
 */
@Component
public class BlobStore {

    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

    private final StorageDriver driver;
    private final BlobRepository blobs;

    BlobStore(StorageDriver driver, BlobRepository blobs) {
        this.driver = driver;
        this.blobs = blobs;
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
        Optional<BlobInfo> existing = stat(expected);
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
            driver.move(temporary, StoragePaths.blob(expected));
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
        blobs.insertIfAbsent(expected.toString(), verifying.count());
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
        if (stat(digest).isEmpty()) {
            String target = StoragePaths.blob(digest);
            try {
                if (chunks.isEmpty()) {
                    driver.write(target, InputStream.nullInputStream());
                } else if (chunks.size() == 1) {
                    driver.move(chunks.get(0), target);
                } else {
                    driver.concatenate(chunks, target);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            blobs.insertIfAbsent(digest.toString(), size);
        }
        return new BlobInfo(digest, size);
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
