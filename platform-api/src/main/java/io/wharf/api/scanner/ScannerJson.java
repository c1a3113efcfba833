package io.wharf.api.scanner;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.scanner.client.AdapterMetadata;
import io.wharf.scanner.client.AuthType;
import io.wharf.scanner.registration.RegistrationSpec;
import io.wharf.scanner.registration.ScannerRegistration;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/** Harbor's JSON for scanner registrations and adapter metadata, both ways. */
final class ScannerJson {

    /** Shown in place of a stored credential, as Harbor does; sent back unchanged, it keeps the credential. */
    static final String MASKED = "*****";

    private ScannerJson() {
    }

    /** Harbor's {@code ScannerRegistrationReq}, also its {@code ScannerRegistrationSettings} for ping. */
    record RegistrationRequest(@Nullable String name, @Nullable String description, @Nullable String url,
                               @Nullable String auth, @Nullable String access_credential, @Nullable Boolean skip_certVerify,
                               @Nullable Boolean use_internal_addr, @Nullable Boolean disabled) {

        /** The spec, with {@code current} filling what an update leaves out. */
        RegistrationSpec spec(@Nullable ScannerRegistration current) {
            String n = name != null ? name : current != null ? current.name() : null;
            String u = url != null ? url : current != null ? current.url().toString() : null;
            if (n == null || n.isBlank() || u == null || u.isBlank()) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "name and url are required");
            }
            AuthType type = auth != null ? AuthType.of(auth) : current != null ? current.auth() : AuthType.NONE;
            String credential = access_credential == null || MASKED.equals(access_credential) ? null : access_credential;
            return new RegistrationSpec(n, description != null ? description : current != null ? current.description() : null,
                u, type, credential,
                skip_certVerify != null ? skip_certVerify : current != null && current.skipCertVerify(),
                use_internal_addr != null ? use_internal_addr : current != null && current.useInternalAddr(),
                disabled != null ? disabled : current != null && current.disabled());
        }
    }

    /** Harbor's {@code IsDefault}. */
    record IsDefault(@Nullable Boolean is_default) {
    }

    /** Harbor's {@code ProjectScanner}. */
    record ProjectScanner(@Nullable String uuid) {
    }

    static Map<String, Object> registration(ScannerRegistration r, @Nullable String health) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", r.uuid());
        json.put("name", r.name());
        json.put("description", r.description() == null ? "" : r.description());
        json.put("url", r.url().toString());
        json.put("disabled", r.disabled());
        json.put("is_default", r.isDefault());
        json.put("auth", r.auth().id());
        json.put("access_credential", r.hasCredential() ? MASKED : "");
        json.put("skip_certVerify", r.skipCertVerify());
        json.put("use_internal_addr", r.useInternalAddr());
        json.put("create_time", ApiPage.time(r.createdAt()));
        json.put("update_time", ApiPage.time(r.updatedAt()));
        json.put("adapter", r.adapter() == null ? "" : r.adapter());
        json.put("vendor", r.vendor() == null ? "" : r.vendor());
        json.put("version", r.version() == null ? "" : r.version());
        if (health != null) {
            json.put("health", health);
        }
        return json;
    }

    /** Harbor's {@code ScannerAdapterMetadata}. */
    static Map<String, Object> metadata(AdapterMetadata m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scanner", Map.of("name", m.scanner().name(), "vendor", m.scanner().vendor(), "version", m.scanner().version()));
        json.put("capabilities", m.capabilities().stream().map(c -> {
            Map<String, Object> capability = new LinkedHashMap<>();
            if (c.type() != null) {
                capability.put("type", c.type());
            }
            capability.put("consumes_mime_types", c.consumesMimeTypes());
            capability.put("produces_mime_types", c.producesMimeTypes());
            return capability;
        }).toList());
        json.put("properties", m.properties());
        return json;
    }
}
