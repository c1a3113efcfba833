package io.wharf.core.storage.driver.minio;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.wharf.core.storage.StorageProperties;
import io.wharf.core.storage.driver.StorageDriver;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps objects in one bucket of an S3-compatible store (MinIO, AWS S3, s3proxy, …), keyed by
 * their storage path.
 *
 * <p>Writes stream with an unknown length: the client buffers one part of {@code partSize} bytes
 * at a time and sends a single PUT for short content, a multipart upload otherwise. S3 makes an
 * object visible only once its PUT or multipart completion succeeds, which gives the atomicity of
 * the {@link StorageDriver} contract; a failed multipart upload is aborted by the client. Moves and
 * concatenations of large parts copy server-side; the bytes do not pass through Wharf.
 *
 * <p>Thread-safe, like the {@link MinioClient} it wraps.
 */
public final class MinioStorageDriver implements StorageDriver {

    /** How long a presigned redirect URL stays valid. */
    static final int REDIRECT_EXPIRY_MINUTES = 20;

    private final MinioClient client;
    private final String bucket;
    private final long partSize;
    private final boolean redirect;
    private final ServerSideCopy copier;

    /**
     * A driver over an existing bucket.
     *
     * @param client   the client, configured with endpoint and credentials
     * @param bucket   the bucket that holds the objects; it must exist
     * @param partSize bytes per part of a streamed write, from 5 MiB to 5 GiB; the client holds one
     *                 part in memory per running write, and an object has at most 10,000 parts
     * @param redirect whether {@link #redirectUrl} hands out presigned GET URLs
     * @throws IllegalArgumentException when {@code partSize} is out of range
     */
    public MinioStorageDriver(MinioClient client, String bucket, long partSize, boolean redirect) {
        this(client, bucket, partSize, redirect, ObjectWriteArgs.MAX_PART_SIZE);
    }

    /** As the public constructor; objects larger than {@code copyLimit} are moved with a multipart copy. */
    MinioStorageDriver(MinioClient client, String bucket, long partSize, boolean redirect, long copyLimit) {
        if (partSize < ObjectWriteArgs.MIN_MULTIPART_SIZE || partSize > ObjectWriteArgs.MAX_PART_SIZE) {
            throw new IllegalArgumentException("part size must be from 5 MiB to 5 GiB: " + partSize);
        }
        this.client = client;
        this.bucket = bucket;
        this.partSize = partSize;
        this.redirect = redirect;
        this.copier = new ServerSideCopy(client, bucket, copyLimit);
    }

    /**
     * Builds the client from {@code settings} and creates the bucket when it is missing.
     *
     * @throws IllegalArgumentException when no endpoint is configured
     * @throws IllegalStateException    when the store cannot be reached or the bucket not created
     */
    public static MinioStorageDriver create(StorageProperties.Minio settings) {
        if (settings.endpoint() == null || settings.endpoint().isBlank()) {
            throw new IllegalArgumentException("wharf.storage.minio.endpoint is required");
        }
        MinioClient.Builder builder = MinioClient.builder().endpoint(settings.endpoint());
        if (settings.accessKey() != null && settings.secretKey() != null) {
            builder.credentials(settings.accessKey(), settings.secretKey());
        }
        String region = settings.region() == null || settings.region().isBlank() ? null : settings.region();
        if (region != null) {
            builder.region(region);
        }
        MinioClient client = builder.build();
        try {
            ensureBucket(client, settings.bucket(), region);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use bucket " + settings.bucket() + " at " + settings.endpoint(), e);
        }
        return new MinioStorageDriver(client, settings.bucket(), settings.partSize(), settings.redirect());
    }

    @Override
    public long size(String path) throws IOException {
        return stat(path).size();
    }

    @Override
    public InputStream read(String path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset: " + offset);
        }
        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key(path));
        if (offset > 0) {
            // no range for offset 0: S3 answers any range on an empty object with InvalidRange
            args.offset(offset);
        }
        try {
            return S3Calls.call(path, () -> client.getObject(args.build()));
        } catch (IOException e) {
            if (!(e.getCause() instanceof ErrorResponseException s3) || !S3Calls.hasCode(s3, "InvalidRange")) {
                throw e;
            }
            // the range starts at or past the end: nothing left to read, if the object exists
            size(path);
            return InputStream.nullInputStream();
        }
    }

    @Override
    public long write(String path, InputStream content) throws IOException {
        CountingInputStream counted = new CountingInputStream(content);
        PutObjectArgs args = PutObjectArgs.builder()
            .bucket(bucket)
            .object(key(path))
            .stream(counted, -1, partSize)
            .contentType("application/octet-stream")
            .build();
        try {
            S3Calls.run(path, () -> client.putObject(args));
        } catch (IOException | RuntimeException e) {
            if (counted.failure() != null) {
                throw counted.failure();
            }
            throw e;
        }
        return counted.count();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Composed server-side when every source but the last holds 5 MiB to 5 GiB (the S3 part
     * limits); otherwise streamed through {@link #write}.
     */
    @Override
    public long concatenate(List<String> sources, String target) throws IOException {
        key(target);
        List<ServerSideCopy.Source> parts = new ArrayList<>();
        long total = 0;
        for (String path : sources) {
            ServerSideCopy.Source source = source(path);
            if (source.size() > 0) {
                parts.add(source);
                total += source.size();
            }
        }
        if (parts.isEmpty()) {
            return write(target, InputStream.nullInputStream());
        }
        if (!ServerSideCopy.composable(parts)) {
            return StorageDriver.super.concatenate(sources, target);
        }
        copier.copy(parts, target);
        return total;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A server-side copy, then a delete of the source; for a moment both exist.
     */
    @Override
    public void move(String source, String target) throws IOException {
        ServerSideCopy.Source from = source(source);
        copier.copy(List.of(from), key(target));
        S3Calls.run(source, () -> client.removeObject(
            RemoveObjectArgs.builder().bucket(bucket).object(from.key()).build()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Removes every object whose key starts with {@code path + "/"} (multi-object deletes of up
     * to 1,000 keys each), then the object at {@code path}. In that order because a store that keeps
     * objects as files (s3proxy's filesystem backends) cannot remove {@code path} while it is a
     * non-empty directory.
     */
    @Override
    public void delete(String path) throws IOException {
        List<DeleteObject> children = list(path).stream().map(DeleteObject::new).toList();
        if (!children.isEmpty()) {
            Iterable<Result<DeleteError>> errors = client.removeObjects(
                RemoveObjectsArgs.builder().bucket(bucket).objects(children).build());
            // the deletes run lazily, batch by batch, as the results are consumed
            for (Result<DeleteError> result : errors) {
                DeleteError error = S3Calls.call(path, result::get);
                if (!"NoSuchKey".equals(error.code())) {
                    throw new IOException("cannot delete " + error.objectName() + ": " + error.code() + " " + error.message());
                }
            }
        }
        S3Calls.run(path, () -> client.removeObject(
            RemoveObjectArgs.builder().bucket(bucket).object(key(path)).build()));
    }

    /**
     * {@inheritDoc} Multi-object deletes of up to 1,000 keys each; a key already gone is no error, so
     * the whole is sent again when the store answers with a server error.
     */
    @Override
    public void deleteAll(Collection<String> paths) throws IOException {
        List<DeleteObject> objects = paths.stream().map(p -> new DeleteObject(key(p))).toList();
        if (objects.isEmpty()) {
            return;
        }
        S3Calls.retrying(() -> {
            deleteOnce(objects);
            return null;
        });
    }

    private void deleteOnce(List<DeleteObject> objects) throws IOException {
        Iterable<Result<DeleteError>> errors = client.removeObjects(
            RemoveObjectsArgs.builder().bucket(bucket).objects(objects).build());
        // the deletes run lazily, batch by batch, as the results are consumed
        for (Result<DeleteError> result : errors) {
            DeleteError error = S3Calls.call(objects.get(0).toString(), result::get);
            if (!"NoSuchKey".equals(error.code())) {
                throw new IOException("cannot delete " + error.objectName() + ": " + error.code() + " " + error.message());
            }
        }
    }

    /** {@inheritDoc} Listed again as a whole when the store answers with a server error. */
    @Override
    public List<String> list(String prefix) throws IOException {
        return S3Calls.retrying(() -> listOnce(prefix));
    }

    private List<String> listOnce(String prefix) throws IOException {
        Iterable<Result<Item>> items = client.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(key(prefix) + "/").recursive(true).build());
        List<String> paths = new ArrayList<>();
        for (Result<Item> result : items) {
            Item item = S3Calls.call(prefix, result::get);
            if (!item.isDir()) {
                paths.add(item.objectName());
            }
        }
        paths.sort(null);
        return paths;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When enabled, a GET URL for {@code path} presigned for {@value #REDIRECT_EXPIRY_MINUTES}
     * minutes; it does not check that the object exists.
     *
     * @throws UncheckedIOException when the URL cannot be signed (the client may have to look up
     *                              the bucket's region first, when none is configured)
     */
    @Override
    public Optional<String> redirectUrl(String path) {
        if (!redirect) {
            return Optional.empty();
        }
        GetPresignedObjectUrlArgs args = GetPresignedObjectUrlArgs.builder()
            .method(Method.GET)
            .bucket(bucket)
            .object(key(path))
            .expiry(REDIRECT_EXPIRY_MINUTES, TimeUnit.MINUTES)
            .build();
        try {
            return Optional.of(S3Calls.call(path, () -> client.getPresignedObjectUrl(args)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ensureBucket(MinioClient client, String bucket, @Nullable String region) throws IOException {
        S3Calls.run(bucket, () -> {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return;
            }
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
            } catch (ErrorResponseException e) {
                // another node created it meanwhile
                if (!S3Calls.hasCode(e, "BucketAlreadyOwnedByYou")) {
                    throw e;
                }
            }
        });
    }

    private StatObjectResponse stat(String path) throws IOException {
        return S3Calls.retrying(() -> S3Calls.call(path, () -> client.statObject(
            StatObjectArgs.builder().bucket(bucket).object(key(path)).build())));
    }

    private ServerSideCopy.Source source(String path) throws IOException {
        StatObjectResponse stat = stat(path);
        return new ServerSideCopy.Source(key(path), stat.etag(), stat.size());
    }

    /** The object key of {@code path}, which must be a relative slash-separated path. */
    private static String key(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("invalid storage path: " + path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid storage path: " + path);
            }
        }
        return path;
    }
}
