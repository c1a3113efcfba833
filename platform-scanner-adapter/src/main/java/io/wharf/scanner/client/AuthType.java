package io.wharf.scanner.client;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * How Wharf authenticates to an adapter, by Harbor's names for a registration's {@code auth}: none
 * ({@code ""}), {@code Basic} (the credential is {@code user:password}, sent base64-encoded),
 * {@code Bearer} (the credential is the token) or {@code X-ScannerAdapter-API-Key} (the credential is
 * sent in that header).
 */
public enum AuthType {
    NONE(""),
    BASIC("Basic"),
    BEARER("Bearer"),
    API_KEY("X-ScannerAdapter-API-Key");

    private final String id;

    AuthType(String id) {
        this.id = id;
    }

    /** The name as Harbor's API spells it. */
    public String id() {
        return id;
    }

    /**
     * The type named {@code id}; null or blank is {@link #NONE}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for any other name
     */
    public static AuthType of(@org.jspecify.annotations.Nullable String id) {
        if (id == null || id.isBlank()) {
            return NONE;
        }
        return Arrays.stream(values()).filter(t -> t.id.equals(id.trim())).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT, "unknown auth " + id
                + "; supported: \"\", Basic, Bearer, X-ScannerAdapter-API-Key"));
    }

    /** The header (name and value) that carries {@code credential}; empty for {@link #NONE}. */
    Map<String, String> header(String credential) {
        return switch (this) {
            case NONE -> Map.of();
            case BASIC -> Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8)));
            case BEARER -> Map.of("Authorization", "Bearer " + credential);
            case API_KEY -> Map.of("X-ScannerAdapter-API-Key", credential);
        };
    }
}
