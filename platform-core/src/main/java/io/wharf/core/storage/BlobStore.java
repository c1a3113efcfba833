package io.wharf.core.storage;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.driver.PathNotFoundException;
import io.wharf.core.storage.driver.StorageDriver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.io.ByteArrayInputStream;
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
 * Which repository may serve a blob is {@link LinkedBlobStore}'s business.
 */
@Component
public class BlobStore {

    private final StorageDriver driver;
    private final BlobRepository blobs;

    BlobStore(StorageDriver driver, BlobRepository blobs) {
        this.driver = driver;
        this.blobs = blobs;
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

    /** Stores small content whose digest the caller verified (manifests), unless the blob exists. */
    @Transactional
    public BlobInfo put(Digest digest, byte[] content) {
        if (stat(digest).isEmpty()) {
            try {
                driver.write(StoragePaths.blob(digest), new ByteArrayInputStream(content));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            blobs.insertIfAbsent(digest.toString(), content.length);
        }
        return new BlobInfo(digest, content.length);
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

    /** A presigned URL for the blob, when the driver redirects. */
    public Optional<String> redirectUrl(Digest digest) {
        return driver.redirectUrl(StoragePaths.blob(digest));
    }

    /** The local file of the blob, when the driver keeps files (zero-copy sends). */
    public Optional<Path> localFile(Digest digest) {
        return driver.localFile(StoragePaths.blob(digest));
    }
}
