package io.wharf.web.console.scanner;

import io.wharf.scanner.client.AuthType;
import io.wharf.scanner.registration.RegistrationSpec;
import org.jspecify.annotations.Nullable;

/**
 * The add-a-scanner form's fields (bound by direct field access, see the controller's
 * {@code @InitBinder}) and the registration they make. The credential is never shown again, even on
 * a refused form.
 */
public class ScannerForm {

    public String name = "";
    public String description = "";
    public String url = "";
    public String auth = "";
    public String credential = "";
    public boolean skipCertVerify;
    public boolean useInternalAddr;

    /** The registration these fields ask for, enabled. */
    RegistrationSpec spec() {
        return new RegistrationSpec(name, blankToNull(description), url, AuthType.of(auth), blankToNull(credential),
            skipCertVerify, useInternalAddr, false);
    }

    private static @Nullable String blankToNull(String value) {
        return value.isBlank() ? null : value.strip();
    }
}
