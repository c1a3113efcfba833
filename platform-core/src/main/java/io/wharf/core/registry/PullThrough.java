package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;

import java.util.List;

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
     * Fetches blob {@code digest} of {@code repository} from the upstream into the cache (one download
     * however many ask at once), verified by its digest.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the upstream does not have it
     */
    BlobInfo fetchBlob(long registryId, RepositoryName repository, Digest digest);

    /**
     * Blob {@code digest} of {@code repository} as the upstream has it (a HEAD, for a client's HEAD:
     * nothing is downloaded or stored).
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the upstream does not have it or cannot be asked
     */
    BlobInfo statBlob(long registryId, RepositoryName repository, Digest digest);
}
