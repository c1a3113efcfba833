package io.wharf.core.storage;

import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.filesystem.FilesystemStorageDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

class FilesystemBlobStoreIngestTest extends BlobStoreIngestContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver driver() {
        return new FilesystemStorageDriver(root);
    }

    @Test
    void streamsA64MebibyteBlobThroughBoundedBuffers() throws IOException {
        ingestsAGeneratedStream(64L * MIB + 3);
    }
}
