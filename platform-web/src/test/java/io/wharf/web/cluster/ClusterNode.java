package io.wharf.web.cluster;

import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.S3ProxyServer;
import io.wharf.testkit.TestAccounts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@link WharfProcess} configured as a production node: PostgreSQL (a schema of the test server), the
 * {@code minio} driver on an S3-compatible store, one external URL (the load balancer's), one {@code WHARF_SECRET_KEY}
 * and one first admin password for all nodes, and a data directory of its own (a node keeps nothing there).
 */
public final class ClusterNode {

    /** The key every node is given, as {@code WHARF_SECRET_KEY} (base64 of 32 bytes). */
    public static final String SECRET_KEY = Base64.getEncoder().encodeToString(
        "wharf-cluster-test-secret-key-32".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    /**
     * Small heap, the serial collector and the client compiler only: several nodes start on a machine of two cores,
     * where start-up CPU, not peak throughput, is what counts.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private ClusterNode() {
    }

    /**
     * Launches node {@code name} on port {@code port} with {@code workDir/name} as its work and data directory, on
     * {@code schema} and {@code store}, announcing {@code externalUrl}; {@code extraArguments} ({@code --key=value})
     * come last. Returns at once; see {@link WharfProcess#awaitReady}.
     */
    public static WharfProcess launch(String name, Path workDir, int port, String schema, S3ProxyServer store,
                                      String externalUrl, String... extraArguments) throws IOException {
        Path dir = workDir.resolve(name);
        List<String> arguments = new ArrayList<>(Arrays.asList(PostgresTestDatabase.arguments(schema)));
        arguments.addAll(List.of(
            "--wharf.data-dir=" + dir.resolve("data"),
            "--wharf.external-url=" + externalUrl,
            "--wharf.storage.driver=minio",
            "--wharf.storage.minio.endpoint=" + store.endpoint(),
            "--wharf.storage.minio.bucket=wharf",
            "--spring.jmx.enabled=false"));
        arguments.addAll(Arrays.asList(extraArguments));
        Map<String, String> environment = Map.of(
            TestAccounts.ADMIN_PASSWORD_ENV, TestAccounts.ADMIN_PASSWORD,
            "WHARF_SECRET_KEY", SECRET_KEY,
            "WHARF_STORAGE_MINIO_ACCESS_KEY", S3ProxyServer.ACCESS_KEY,
            "WHARF_STORAGE_MINIO_SECRET_KEY", S3ProxyServer.SECRET_KEY);
        return WharfProcess.launch(name, dir, port, JVM_OPTIONS, arguments, environment);
    }
}
