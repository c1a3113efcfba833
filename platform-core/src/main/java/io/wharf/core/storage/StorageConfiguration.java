package io.wharf.core.storage;

import io.wharf.core.PlatformProperties;
import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.filesystem.FilesystemStorageDriver;
import io.wharf.core.storage.driver.minio.MinioStorageDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/** Chooses the {@link StorageDriver} from {@code wharf.storage.driver}. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean
    StorageDriver storageDriver(StorageProperties storage, PlatformProperties platform) {
        return switch (storage.driver()) {
            case FILESYSTEM -> {
                String configured = storage.filesystem().root();
                Path root = configured == null || configured.isBlank()
                    ? platform.dataDir().resolve("storage")
                    : Path.of(configured);
                log.info("Storage: filesystem under {}", root.toAbsolutePath().normalize());
                yield new FilesystemStorageDriver(root);
            }
            case MINIO -> {
                log.info("Storage: MinIO/S3 at {}, bucket {}", storage.minio().endpoint(), storage.minio().bucket());
                yield MinioStorageDriver.create(storage.minio());
            }
        };
    }
}
