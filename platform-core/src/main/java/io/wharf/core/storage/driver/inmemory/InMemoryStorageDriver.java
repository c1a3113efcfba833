package io.wharf.core.storage.driver.inmemory;

import io.wharf.core.storage.driver.PathNotFoundException;
import io.wharf.core.storage.driver.StorageDriver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Keeps objects in memory. For unit tests of the stores only: unlike the real drivers it does hold
 * whole objects in memory, so it is never wired into the application.
 */
public final class InMemoryStorageDriver implements StorageDriver {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public long size(String path) throws IOException {
        return get(path).length;
    }

    @Override
    public InputStream read(String path, long offset) throws IOException {
        byte[] bytes = get(path);
        int from = (int) Math.min(offset, bytes.length);
        return new ByteArrayInputStream(bytes, from, bytes.length - from);
    }

    @Override
    public long write(String path, InputStream content) throws IOException {
        byte[] bytes = content.readAllBytes();
        objects.put(path, bytes);
        return bytes.length;
    }

    @Override
    public void move(String source, String target) throws IOException {
        byte[] bytes = get(source);
        objects.put(target, bytes);
        objects.remove(source);
    }

    @Override
    public void delete(String path) {
        objects.remove(path);
        objects.subMap(path + "/", path + "0").clear();
    }

    @Override
    public List<String> list(String prefix) {
        return List.copyOf(objects.subMap(prefix + "/", prefix + "0").keySet());
    }

    private byte[] get(String path) throws PathNotFoundException {
        byte[] bytes = objects.get(path);
        if (bytes == null) {
            throw new PathNotFoundException(path);
        }
        return bytes;
    }
}
