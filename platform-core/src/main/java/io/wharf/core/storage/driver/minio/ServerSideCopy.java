package io.wharf.core.storage.driver.minio;

import io.minio.ComposeObjectArgs;
import io.minio.ComposeSource;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.MinioClient;
import io.minio.ObjectWriteArgs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies objects inside one bucket without their bytes leaving the store: a plain copy for one
 * source up to the copy limit (S3 allows 5 GiB), a multipart copy (one UploadPartCopy per source,
 * or per 5 GiB of it) otherwise. Either way the target appears whole or not at all.
 */
final class ServerSideCopy {

    private final MinioClient client;
    private final String bucket;
    private final long copyLimit;

    ServerSideCopy(MinioClient client, String bucket, long copyLimit) {
        this.client = client;
        this.bucket = bucket;
        this.copyLimit = copyLimit;
    }

    /** An existing object to copy from, as a stat saw it; the copy fails if it changed since. */
    record Source(String key, String etag, long size) {
    }

    /**
     * Whether S3 accepts {@code sources} as the parts of one multipart copy: every source but the
     * last holds 5 MiB to 5 GiB, and there are at most 10,000.
     */
    static boolean composable(List<Source> sources) {
        if (sources.isEmpty() || sources.size() > ObjectWriteArgs.MAX_MULTIPART_COUNT) {
            return false;
        }
        for (Source source : sources.subList(0, sources.size() - 1)) {
            if (source.size() < ObjectWriteArgs.MIN_MULTIPART_SIZE || source.size() > ObjectWriteArgs.MAX_PART_SIZE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stores the concatenation of {@code sources} at {@code target}, replacing any object there.
     * Several sources must be {@link #composable} and non-empty.
     *
     * @throws io.wharf.core.storage.driver.PathNotFoundException when a source is gone
     */
    void copy(List<Source> sources, String target) throws IOException {
        Source first = sources.get(0);
        if (sources.size() == 1 && (first.size() <= copyLimit || first.size() == 0)) {
            CopySource source = CopySource.builder().bucket(bucket).object(first.key()).build();
            S3Calls.run(target, () -> client.copyObject(
                CopyObjectArgs.builder().bucket(bucket).object(target).source(source).build()));
            return;
        }
        List<ComposeSource> parts = new ArrayList<>();
        for (Source source : sources) {
            parts.add(ComposeSource.builder()
                .bucket(bucket)
                .object(source.key())
                // quoted as HTTP spells an ETag: s3proxy compares the header with the quoted form
                // and MinIO strips quotes, but the client would send the ETag bare
                .matchETag("\"" + source.etag() + "\"")
                // an explicit range, so that a single source gets a multipart copy (which may
                // exceed 5 GiB) instead of the client's fallback to a plain copy
                .offset(0L)
                .build());
        }
        // the client aborts the multipart upload when a part copy fails
        S3Calls.run(target, () -> client.composeObject(
            ComposeObjectArgs.builder().bucket(bucket).object(target).sources(parts).build()));
    }
}
