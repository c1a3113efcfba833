package io.wharf.core.storage.driver;

import java.io.IOException;

/** There is no object at the path a {@link StorageDriver} was asked for. */
public class PathNotFoundException extends IOException {

    public PathNotFoundException(String path) {
        super("path not found: " + path);
    }
}
