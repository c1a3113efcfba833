package io.wharf.core.storage;

import io.wharf.core.storage.driver.StorageDriver;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Whether the blob store is usable: writes a few bytes to this node's {@link StoragePaths#healthCheck}
 * object through the {@link StorageDriver}, reads them back and deletes them. Up when all three
 * worked and the bytes came back unchanged; down, with the failure as the {@code error} detail,
 * otherwise. Known to the actuator as {@code storage}; {@code SystemService} reports it on
 * {@code /api/v2.0/health}.
 */
@Component("storage")
public class StorageHealthIndicator extends AbstractHealthIndicator {

    private final StorageDriver driver;
    private final String path = StoragePaths.healthCheck(UUID.randomUUID());

    StorageHealthIndicator(StorageDriver driver) {
        super("storage health check failed");
        this.driver = driver;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        byte[] probe = ("wharf " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        driver.write(path, new ByteArrayInputStream(probe));
        try (InputStream in = driver.read(path, 0)) {
            if (!Arrays.equals(probe, in.readAllBytes())) {
                builder.down().withDetail("error", "the store returned other bytes than were written");
                return;
            }
        } finally {
            driver.delete(path);
        }
        builder.up();
    }
}
