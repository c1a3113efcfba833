package io.wharf.core.storage.driver.filesystem;

import io.wharf.core.storage.driver.PathNotFoundException;
import io.wharf.core.storage.driver.StorageDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Keeps objects as files under a root directory. Writes go to a temporary file under
 * {@code <root>/_tmp} (same file system) and are renamed into place atomically, so a reader never
 * sees a part of an object; a crash leaves at most a stray temporary file, which is not visible.
 */
public final class FilesystemStorageDriver implements StorageDriver {

    private static final String TMP = "_tmp";

    private final Path root;

    public FilesystemStorageDriver(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve(TMP));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create storage directory " + this.root, e);
        }
    }

    /** The directory every object lives under (absolute, normalized). */
    public Path root() {
        return root;
    }

    @Override
    public long size(String path) throws IOException {
        Path file = resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new PathNotFoundException(path);
        }
        return Files.size(file);
    }

    @Override
    public InputStream read(String path, long offset) throws IOException {
        try {
            FileChannel channel = FileChannel.open(resolve(path), StandardOpenOption.READ);
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
    }

    @Override
    public long write(String path, InputStream content) throws IOException {
        Path tmp = newTempFile();
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                written = content.transferTo(out);
            }
            publish(tmp, resolve(path));
            return written;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public long concatenate(List<String> sources, String target) throws IOException {
        Path tmp = newTempFile();
        try {
            long written = 0;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                for (String source : sources) {
                    try (FileChannel in = FileChannel.open(resolve(source), StandardOpenOption.READ)) {
                        long size = in.size();
                        long done = 0;
                        while (done < size) {
                            done += in.transferTo(done, size - done, out);
                        }
                        written += size;
                    } catch (NoSuchFileException e) {
                        throw new PathNotFoundException(source);
                    }
                }
            }
            publish(tmp, resolve(target));
            return written;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void move(String source, String target) throws IOException {
        Path from = resolve(source);
        if (!Files.isRegularFile(from)) {
            throw new PathNotFoundException(source);
        }
        publish(from, resolve(target));
    }

    @Override
    public void delete(String path) throws IOException {
        Path file = resolve(path);
        if (!Files.exists(file)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(file)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException ignored) {
            // removed concurrently: the outcome is the same
        }
        pruneEmptyParents(file.getParent());
    }

    /** {@inheritDoc} Each file is removed, then the folders it leaves empty. */
    @Override
    public void deleteAll(Collection<String> paths) throws IOException {
        for (String path : paths) {
            Path file = resolve(path);
            if (Files.deleteIfExists(file)) {
                pruneEmptyParents(file.getParent());
            }
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                .forEach(p -> paths.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (NoSuchFileException ignored) {
            // removed concurrently
        }
        paths.sort(Comparator.naturalOrder());
        return paths;
    }

    @Override
    public Optional<Path> localFile(String path) {
        Path file = resolve(path);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private Path newTempFile() throws IOException {
        Path tmp = root.resolve(TMP).resolve(UUID.randomUUID().toString());
        ensureDirectory(tmp.getParent());
        return Files.createFile(tmp);
    }

    /**
     * Renames {@code from} to {@code to}, creating its folders. A concurrent {@link #delete} may prune a
     * folder the moment it is empty, between our creating it and moving into it: then try again.
     */
    /**
     * Creates the directory when it is missing. {@link Files#createDirectories} alone first tries to
     * create it and throws (and catches) an exception when it exists, as it nearly always does here.
     */
    private static void ensureDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
        }
    }

    private static void publish(Path from, Path to) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                ensureDirectory(to.getParent());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException pruned) {
                if (attempt >= 10 || !Files.exists(from)) {
                    throw pruned;
                }
            }
        }
    }

    private void pruneEmptyParents(Path dir) {
        while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
            dir = dir.getParent();
        }
    }

    private Path resolve(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("invalid storage path: " + path);
        }
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid storage path: " + path);
            }
        }
        return root.resolve(path);
    }
}
