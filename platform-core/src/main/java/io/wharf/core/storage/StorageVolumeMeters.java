package io.wharf.core.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.filesystem.FilesystemStorageDriver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size and free space of the volume that holds the blobs, where Wharf can measure it:
 * {@code wharf.storage.volume.total} and {@code wharf.storage.volume.free} (bytes) for the
 * filesystem driver, read from the file system at each scrape (a {@code statvfs}, no I/O on the
 * blobs). An S3 bucket has no capacity to ask for, so with the MinIO driver neither gauge exists;
 * watch the object store's own metrics instead. A volume that cannot be asked reads NaN.
 */
@Component
class StorageVolumeMeters {

    StorageVolumeMeters(StorageDriver driver, ObjectProvider<MeterRegistry> meters) {
        if (!(driver instanceof FilesystemStorageDriver filesystem)) {
            return;
        }
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        Path root = filesystem.root();
        Gauge.builder("wharf.storage.volume.total", root, p -> ask(p, FileStore::getTotalSpace)).baseUnit("bytes")
            .description("Size of the volume holding the filesystem store").strongReference(true).register(registry);
        Gauge.builder("wharf.storage.volume.free", root, p -> ask(p, FileStore::getUsableSpace)).baseUnit("bytes")
            .description("Space Wharf can still use on the volume holding the filesystem store").strongReference(true)
            .register(registry);
    }

    private interface Measure {
        long of(FileStore store) throws IOException;
    }

    private static double ask(Path root, Measure measure) {
        try {
            return measure.of(Files.getFileStore(root));
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
