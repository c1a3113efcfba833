package io.wharf.core.storage.driver.filesystem;

import io.wharf.core.storage.driver.StorageDriver;
import io.wharf.core.storage.driver.StorageDriverContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesystemStorageDriverTest extends StorageDriverContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver driver() {
        return new FilesystemStorageDriver(root);
    }

    @Test
    void rejectsPathsThatEscapeTheRoot() {
        assertThatThrownBy(() -> driver.write("../escape", java.io.InputStream.nullInputStream()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.size("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        driver.write(base + "/a", new java.io.ByteArrayInputStream(new byte[10]));
        try (var tmp = Files.list(root.resolve("_tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    /** Deleting an upload prunes its emptied folders; a concurrent write into a sibling must not fail for it. */
    @Test
    void writesSucceedWhileSiblingFoldersAreDeleted() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String folder = base + "/uploads/" + java.util.UUID.randomUUID();
                        driver.write(folder + "/chunk", new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
                        driver.delete(folder);
                    }
                    return null;
                }));
            }
            for (var worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(driver.list(base)).isEmpty();
    }

}
