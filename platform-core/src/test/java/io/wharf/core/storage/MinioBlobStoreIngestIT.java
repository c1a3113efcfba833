package io.wharf.core.storage;

import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.minio.MinioStorageDriver;
import io.wharf.testkit.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/** {@link BlobStoreIngestContract} on the MinIO driver against an embedded s3proxy on 127.0.0.1. */
class MinioBlobStoreIngestIT extends BlobStoreIngestContract {

    @TempDir
    static Path objects;

    private static S3ProxyServer server;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3ProxyServer.start(objects);
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StorageDriver driver() {
        // a bucket per test, so each starts empty
        String bucket = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
        return MinioStorageDriver.create(new StorageProperties.Minio(server.endpoint(), bucket,
            S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, null, 5L * MIB, false));
    }

    @Test
    void ingestsAMultipartStream() throws IOException {
        ingestsAGeneratedStream(12L * MIB + 5);
    }
}
