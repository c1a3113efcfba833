package io.wharf.core.registry.storage.driver.filesystem;

import io.wharf.core.registry.storage.driver.StorageDriver;
import io.wharf.core.registry.storage.driver.StorageDriverContract;
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
}
