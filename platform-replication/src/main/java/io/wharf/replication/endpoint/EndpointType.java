package io.wharf.replication.endpoint;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.Arrays;

/** The kinds of remote registry, by Harbor's adapter names ({@code GET /replication/adapters}). */
public enum EndpointType {
    DOCKER_HUB("docker-hub"),
    DOCKER_REGISTRY("docker-registry"),
    HARBOR("harbor"),
    WHARF("wharf");

    private final String id;

    EndpointType(String id) {
        this.id = id;
    }

    /** The adapter name as the API spells it, e.g. {@code docker-hub}. */
    public String id() {
        return id;
    }

    /**
     * The type named {@code id}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for an unknown name
     */
    public static EndpointType of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
            .orElseThrow(() -> new PlatformException(ErrorCode.INVALID_ARGUMENT, "unknown registry type " + id
                + "; supported: " + Arrays.stream(values()).map(EndpointType::id).toList()));
    }
}
