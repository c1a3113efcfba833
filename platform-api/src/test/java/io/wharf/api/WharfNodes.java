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
    private final String schema;
    private final Path dataDir;

    private WharfNodes(List<ConfigurableApplicationContext> nodes, String schema, Path dataDir) {
        this.nodes = nodes;
        this.schema = schema;
        this.dataDir = dataDir;
    }

    /**
     * Starts {@code count} nodes, one after the other, with {@code arguments} ({@code --key=value})
     * added to the shared database, data directory, random port and disabled JMX.
     */
    public static WharfNodes start(int count, String... arguments) throws IOException {
        return startOn(PostgresTestDatabase.newSchema(), Files.createTempDirectory("wharf-nodes"), count, arguments);
    }

    /**
     * Starts {@code count} nodes on an existing {@code schema} and {@code dataDir} (say those of nodes
     * that were stopped, to restart them), otherwise as {@link #start}.
     */
    public static WharfNodes startOn(String schema, Path dataDir, int count, String... arguments) {
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> args = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(schema)));
            args.add("--wharf.data-dir=" + dataDir);
            args.add("--server.port=0");
            args.add("--spring.jmx.enabled=false");
            args.addAll(Arrays.asList(arguments));
            started.add(new SpringApplicationBuilder(ApiTestApplication.class).run(args.toArray(String[]::new)));
        }
        return new WharfNodes(started, schema, dataDir);
    }

    /** The PostgreSQL schema the nodes share. */
    public String schema() {
        return schema;
    }

    /** The data directory the nodes share. */
    public Path dataDir() {
        return dataDir;
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
