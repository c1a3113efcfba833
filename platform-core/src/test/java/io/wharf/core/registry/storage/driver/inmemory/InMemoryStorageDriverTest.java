package io.wharf.core.registry.storage.driver.inmemory;

import io.wharf.core.registry.storage.driver.StorageDriver;
import io.wharf.core.registry.storage.driver.StorageDriverContract;

class InMemoryStorageDriverTest extends StorageDriverContract {

    @Override
    protected StorageDriver driver() {
        return new InMemoryStorageDriver();
    }
}
