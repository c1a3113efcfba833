package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.metadata.ManifestInfo;

/**
 * A project's rule on which manifests may be pulled, asked by {@link RegistryService#getManifest}
 * once the manifest is found and before it is served (docs/scanning.md, "The pull policy"). Only a
 * manifest GET asks: clients HEAD manifests while pushing, and a pull that runs an image GETs.
 * Wharf's own reads (the system caller: replication, proxy-cache fills) and the scan credential are
 * never asked. Implemented by the scanner module (vulnerability prevention); without one, every pull
 * is allowed.
 */
public interface PullPolicy {

    /**
     * Allows or refuses serving {@code manifest} of {@code repository}.
     *
     * @throws PlatformException {@link ErrorCode#PROJECTPOLICYVIOLATION} with the reason when refused
     */
    void check(RepositoryName repository, ManifestInfo manifest);
}
