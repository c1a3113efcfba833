package io.wharf.api;

import io.wharf.testkit.PostgresTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several Wharf nodes (the API module's application, each on its own port) on one fresh PostgreSQL
 * schema and one data directory, as behind a load balancer. Closing it stops them all.
 */
public final class WharfNodes implements AutoCloseable {

    private final List<ConfigurableApplicationContext> nodes;

    private WharfNodes(List<ConfigurableApplicationContext> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts {@code count} nodes, one after the other, with {@code arguments} ({@code --key=value})
     * added to the shared database, data directory, random port and disabled JMX.
     */
    public static WharfNodes start(int count, String... arguments) throws IOException {
        String schema = PostgresTestDatabase.newSchema();
        Path dataDir = Files.createTempDirectory("wharf-nodes");
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(schema)));
            args.add("--wharf.data-dir=" + dataDir);
            args.add("--server.port=0");
            args.add("--spring.jmx.enabled=false");
            args.addAll(Arrays.asList(arguments));
            started.add(new SpringApplicationBuilder(ApiTestApplication.class).run(args.toArray(String[]::new)));
        }
        return new WharfNodes(started);
    }

    /** Node {@code index}'s application context (from 0). */
    public ConfigurableApplicationContext node(int index) {
        return nodes.get(index);
    }

    /** The port node {@code index} listens on. */
    public int port(int index) {
        return ((WebServerApplicationContext) nodes.get(index)).getWebServer().getPort();
    }

    @Override
    public void close() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }
}
