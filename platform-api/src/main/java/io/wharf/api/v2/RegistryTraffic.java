package io.wharf.api.v2;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.registry.RepositoryName;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Bytes of blobs and manifests this node served and received, as Micrometer counters by kind
 * ({@code blob} | {@code manifest}) and project: {@code wharf.registry.pull.bytes} and
 * {@code wharf.registry.push.bytes}. Each request adds its byte count once, when its body is done
 * (in memory, no I/O); a body cut short counts what was sent or received. Blob GETs answered with
 * a redirect to the object store are not counted (the store sends the bytes); blobs handed to
 * Tomcat's sendfile count as sent.
 */
final class RegistryTraffic {

    /** What a request moved. */
    enum Kind {
        BLOB, MANIFEST;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    RegistryTraffic(ObjectProvider<MeterRegistry> meters) {
        this.registry = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** Adds {@code bytes} sent to a client from {@code repository}. */
    void pulled(Kind kind, RepositoryName repository, long bytes) {
        add("wharf.registry.pull.bytes", "Blob and manifest bytes sent to clients", kind, repository, bytes);
    }

    /** Adds {@code bytes} received from a client for {@code repository}. */
    void pushed(Kind kind, RepositoryName repository, long bytes) {
        add("wharf.registry.push.bytes", "Blob and manifest bytes received from clients", kind, repository, bytes);
    }

    private void add(String name, String description, Kind kind, RepositoryName repository, long bytes) {
        if (bytes > 0) {
            Counter.builder(name).description(description).baseUnit("bytes")
                .tag("kind", kind.tag()).tag("project", repository.project())
                .register(registry).increment(bytes);
        }
    }
}
