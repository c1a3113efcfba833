package io.wharf.scanner.trigger;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * What a scan produces (Harbor's {@code scan_type}): the vulnerability report, or an SBOM from an
 * adapter that offers the {@code sbom} capability (spec 1.2).
 */
public enum ScanType {
    VULNERABILITY, SBOM;

    /** The name stored and spoken in the API: {@code vulnerability}, {@code sbom}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Harbor's {@code scan_type}; null means {@code vulnerability}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for any other value
     */
    public static ScanType of(@Nullable String value) {
        if (value == null || value.isEmpty() || value.equals("vulnerability")) {
            return VULNERABILITY;
        }
        if (value.equals("sbom")) {
            return SBOM;
        }
        throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "scan_type must be vulnerability or sbom, not " + value);
    }
}
