package io.wharf.api.replication;

import io.wharf.testkit.Response;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the transparent mirror's tests: a context with {@code wharf.mirror.project} = {@link #MIRROR},
 * a proxy-cache project bound to the Docker Hub emulator {@link #HUB}, and the mirror's own port
 * {@link #MIRROR_PORT}. Subclasses import {@link ReplicationIntegrationTest.Beans} and {@link Hub}, so
 * they share one context (and one emulator, stopped with the context).
 */
abstract class MirrorIntegrationTest extends ReplicationIntegrationTest {

    static final String MIRROR = "mirrorhub";
    static final DockerHubEmulator HUB = new DockerHubEmulator(CLOCK);
    static final int MIRROR_PORT = freePort();

    /** Stops {@link #HUB} when the shared context closes (not after the first test class). */
    @TestConfiguration(proxyBeanMethods = false)
    static class Hub {

        @Bean(destroyMethod = "close")
        DockerHubEmulator dockerHubEmulator() {
            return HUB;
        }
    }

    @DynamicPropertySource
    static void mirror(DynamicPropertyRegistry registry) {
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
        registry.add("wharf.mirror.project", () -> MIRROR);
        registry.add("wharf.mirror.port", () -> MIRROR_PORT);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void mirrorProject() {
        if (http.as(ADMIN).get("/api/v2.0/projects/" + MIRROR).status() != 200) {
            createProxyProject(MIRROR, HUB);
        }
    }

    /** Creates (as admin) a public proxy-cache project {@code name} bound to a new endpoint of {@code upstream}. */
    void createProxyProject(String name, DockerHubEmulator upstream) {
        Response registry = http.as(ADMIN).post("/api/v2.0/registries",
            ReplicationApiIT.registry(unique("hub"), "docker-hub", upstream.registryUrl().toString(), "", ""));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        Response created = http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", name,
            "metadata", Map.of("public", "true"), "registry_id", idFromLocation(registry)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }
}
