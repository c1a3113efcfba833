package io.wharf.replication.upstream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.replication.upstream.UpstreamRegistry.Kind;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker Hub emulator, a settable clock, a pause that moves that clock instead of sleeping, and
 * clients of the emulator. The concurrency limit is 1, so a permit that is never given back hangs
 * the next request (the tests have timeouts).
 */
final class UpstreamFixture implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final RecordingPause pause = new RecordingPause(clock);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final DockerHubEmulator hub = new DockerHubEmulator(clock);
    private UpstreamProperties properties = UpstreamProperties.defaults().withUpstreamConcurrency(1);
    private @Nullable UpstreamClients clients;

    /** Changes the settings of clients made from now on. */
    UpstreamFixture properties(UpstreamProperties properties) {
        this.properties = properties;
        this.clients = null;
        return this;
    }

    UpstreamProperties properties() {
        return properties;
    }

    UpstreamClients clients() {
        if (clients == null) {
            clients = new UpstreamClients(properties, meters, clock, pause);
        }
        return clients;
    }

    /** An anonymous Docker Hub client of the emulator. */
    UpstreamClient anonymous() {
        return client(Kind.DOCKER_HUB, null, null);
    }

    /** A Docker Hub client of the emulator with credentials. */
    UpstreamClient as(String username, String secret) {
        return client(Kind.DOCKER_HUB, username, secret);
    }

    UpstreamClient client(Kind kind, @Nullable String username, @Nullable String secret) {
        return clients().client(registry(kind, username, secret));
    }

    /** An anonymous interactive Docker Hub client of the emulator (as the proxy cache uses). */
    UpstreamClient interactive() {
        return clients().interactive(registry(Kind.DOCKER_HUB, null, null));
    }

    private UpstreamRegistry registry(Kind kind, @Nullable String username, @Nullable String secret) {
        return new UpstreamRegistry("hub", kind, hub.registryUrl(), hub.hubApiUrl(), username, secret, false);
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        hub.close();
    }

    /** Records each wait and moves the clock to its end. */
    static final class RecordingPause implements Pause {

        private final MutableClock clock;
        private final List<Duration> waits = new CopyOnWriteArrayList<>();

        RecordingPause(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public void until(Instant instant) {
            Duration wait = Duration.between(clock.instant(), instant);
            waits.add(wait);
            if (wait.compareTo(Duration.ZERO) > 0) {
                clock.set(instant);
            }
        }

        /** The waits asked for so far. */
        List<Duration> waits() {
            return List.copyOf(waits);
        }
    }
}
