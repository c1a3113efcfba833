package io.wharf.core.storage;

import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.inmemory.InMemoryStorageDriver;
import org.junit.jupiter.api.Test;

import java.io.IOException;

class InMemoryBlobStoreIngestTest extends BlobStoreIngestContract {

    @Override
    protected StorageDriver driver() {
        return new InMemoryStorageDriver();
    }

    @Test
    void ingestsAStreamOfSeveralMebibytes() throws IOException {
        ingestsAGeneratedStream(6L * MIB + 17);
    }
}
