package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where a proxy-cache project gets what it does not hold (docs/proxy.md): implemented by the
 * replication module over its upstream client, asked by {@link RegistryService} before a read in a
 * project bound to a registry endpoint. An implementation stores what it fetches through core's use
 * cases (as the system caller), so the read that follows finds it as any cached content.
 */
public interface PullThrough {

    /**
     * Makes manifest {@code reference} of {@code repository} current in the cache: a tag is compared
     * with the upstream (by HEAD, at most once per the project's tag TTL) and fetched when it changed;
     * a digest is fetched when missing. When the upstream cannot be asked, cached content stays as it
     * is (served stale).
     *
     * @param registryId the project's registry endpoint
     * @throws PlatformException {@link ErrorCode#MANIFEST_UNKNOWN} when neither the cache nor the
     *         upstream has it (with the upstream's reason)
     */
    void refreshManifest(long registryId, RepositoryName repository, Reference reference, List<String> accept);

    /**
     * Fetches blob {@code digest} of {@code repository} from the upstream into the cache: one download
     * however many ask at once, verified by its digest before it becomes part of the cache. While it
     * downloads, its bytes can be read as they arrive; a blob the store already holds (from another
     * repository) is linked without any download.
     *
     * @return the blob arriving; empty when it is now in the cache (read it from there)
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the upstream does not have it or cannot be asked
     */
    Optional<Arriving> fetchBlob(long registryId, RepositoryName repository, Digest digest);

    /** A blob being downloaded into the cache, readable while it arrives. */
    interface Arriving {

        /** The blob: digest and size (as the upstream declared it). */
        BlobInfo blob();

        /**
         * Its bytes from {@code offset} to the end, as they arrive: reads block until the download
         * gets there, and fail when the download fails or the content does not match the digest (the
         * last byte is only given once the digest is verified). The caller closes the stream.
         *
         * @return empty when the download has finished and its bytes are to be read from the cache
         */
        Optional<InputStream> open(long offset);
    }

    /**
     * Blob {@code digest} of {@code repository} as the upstream has it (a HEAD, for a client's HEAD:
     * nothing is downloaded or stored).
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the upstream does not have it or cannot be asked
     */
    BlobInfo statBlob(long registryId, RepositoryName repository, Digest digest);

    /**
     * Told when a client's read in a proxy-cache project was answered from the cache without asking
     * this seam (a blob GET of a linked blob, a manifest read by a cached digest), so that it can count
     * the hit. Must be cheap and must not throw; does nothing by default.
     */
    default void servedFromCache(long registryId, RepositoryName repository) {
    }
}
