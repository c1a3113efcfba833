package io.wharf.core.gc;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

/**
 * What a collection does (Harbor's {@code parameters}).
 *
 * @param deleteUntagged also delete manifests without tags that no index or referrer keeps
 * @param dryRun         report what would be freed, delete nothing
 * @param workers        how many threads delete blobs, 1 to 5
 */
public record GcParameters(boolean deleteUntagged, boolean dryRun, int workers) {

    /** Harbor's default: untagged manifests kept, a real run, one worker. */
    public static final GcParameters DEFAULT = new GcParameters(false, false, 1);

    public GcParameters {
        if (workers < 1 || workers > 5) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "workers must be 1 to 5");
        }
    }
}
