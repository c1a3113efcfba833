package io.wharf.core.system;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Harbor's general system information. Everyone gets the public part; logged-in callers also get
 * {@link #details()}.
 *
 * @param authMode         how users log in: always {@code db_auth} (local accounts)
 * @param selfRegistration whether users may sign up themselves: never
 * @param details          what only logged-in callers see, or null for anonymous ones
 */
public record SystemInfo(String authMode, boolean selfRegistration, @Nullable Details details) {

    /**
     * The part of the system information anonymous callers do not get.
     *
     * @param version                    Wharf's version, reported as Harbor's {@code harbor_version}
     * @param externalUrl                the URL clients reach Wharf at, with its scheme
     * @param registryUrl                the host (and port) {@code docker} commands name
     * @param storageProvider            the storage driver ({@code filesystem} or {@code minio})
     * @param projectCreationRestriction who may create projects: {@code everyone} (every user)
     * @param currentTime                the server's time, from the injected clock
     */
    public record Details(String version, String externalUrl, String registryUrl, String storageProvider,
                         String projectCreationRestriction, Instant currentTime) {
    }
}
