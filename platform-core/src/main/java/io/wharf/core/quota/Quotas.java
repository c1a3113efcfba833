package io.wharf.core.quota;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

/** Constants and small rules shared by the quota use cases. */
final class Quotas {

    /** Harbor's value for "no limit". */
    static final long UNLIMITED = -1;
    /** The one resource a quota limits (Harbor's {@code storage}). */
    static final String STORAGE = "storage";

    private Quotas() {
    }

    /**
     * {@code limit} when it is a valid storage limit: -1 or a positive number of bytes, as Harbor
     * validates hard limits.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} otherwise
     */
    static long checked(String field, long limit) {
        if (limit != UNLIMITED && limit <= 0) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                field + " must be -1 (no limit) or a positive number of bytes, not " + limit);
        }
        return limit;
    }
}
