package io.wharf.core.storage.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Moves bytes to and from a store under slash-separated relative paths ({@code blobs/sha256/ab/ab…/data}).
 *
 * <p>A driver knows nothing of digests, repositories or tenants; {@code StoragePaths} decides the
 * layout. Contract, checked for every implementation by {@code StorageDriverContract}:
 * <ul>
 *   <li>{@link #write} is atomic: readers see either no object or the whole of it, never a part,
 *       even when the write fails half-way or the process dies.</li>
 *   <li>Reads and writes stream; no method holds a whole object in memory.</li>
 *   <li>A missing path is reported as {@link PathNotFoundException}; other I/O failures as
 *       {@link IOException}.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface StorageDriver {

    /**
     * The size in bytes of the object at {@code path}.
     *
     * @throws PathNotFoundException when there is no object at {@code path}
     */
    long size(String path) throws IOException;

    /** Whether an object exists at {@code path}. */
    default boolean exists(String path) throws IOException {
        try {
            size(path);
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /**
     * Opens the object at {@code path} for reading from byte {@code offset} to its end. The caller
     * closes the stream.
     *
     * @throws PathNotFoundException when there is no object at {@code path}
     */
    InputStream read(String path, long offset) throws IOException;

    /**
     * Stores everything {@code content} yields at {@code path}, replacing any object there, and
     * returns the number of bytes written. Atomic (see the class contract). Does not close {@code content}.
     */
    long write(String path, InputStream content) throws IOException;

    /**
     * Stores the concatenation of the objects at {@code sources}, in order, at {@code target};
     * atomic like {@link #write}. The sources are left in place.
     *
     * @throws PathNotFoundException when a source is missing
     */
    default long concatenate(List<String> sources, String target) throws IOException {
        Iterator<String> paths = sources.iterator();
        Enumeration<InputStream> streams = new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return paths.hasNext();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return read(paths.next(), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try (InputStream in = new SequenceInputStream(streams)) {
            return write(target, in);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Moves the object at {@code source} to {@code target}, replacing any object there. Readers of
     * {@code target} see the old object or the new one, never a part.
     *
     * @throws PathNotFoundException when {@code source} is missing
     */
    void move(String source, String target) throws IOException;

    /** Deletes the object at {@code path}, or every object under it when it is a prefix; absent paths are ignored. */
    void delete(String path) throws IOException;

    /**
     * Deletes the objects at {@code paths} (objects, not prefixes), in as few requests as the store
     * allows (S3's multi-object delete); absent paths are ignored. The garbage collector's delete.
     */
    default void deleteAll(Collection<String> paths) throws IOException {
        for (String path : paths) {
            delete(path);
        }
    }

    /**
     * The paths of the objects directly or indirectly under {@code prefix} (a folder-like path without
     * a trailing slash), sorted. Empty when there are none.
     */
    List<String> list(String prefix) throws IOException;

    /**
     * Where a client may fetch the object directly (a presigned URL), when the driver supports and is
     * configured for redirects.
     */
    default Optional<String> redirectUrl(String path) {
        return Optional.empty();
    }

    /** The local file that holds {@code path}, when the driver keeps objects as files (enables zero-copy sends). */
    default Optional<Path> localFile(String path) {
        return Optional.empty();
    }
}
