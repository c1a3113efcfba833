package io.wharf.core.storage.driver.inmemory;

import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.StorageDriverContract;

class InMemoryStorageDriverTest extends StorageDriverContract {

    @Override
    protected StorageDriver driver() {
        return new InMemoryStorageDriver();
    }
}
