package io.wharf.core.storage;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code wharf.storage.*}: where blob bytes live.
 *
 * @param driver     {@code filesystem} (default, under {@code <wharf.data-dir>/storage} unless
 *                   {@code filesystem.root} is set) or {@code minio} (any S3-compatible store)
 * @param filesystem settings of the filesystem driver
 * @param minio      settings of the MinIO driver
 */
@Validated
@ConfigurationProperties("wharf.storage")
public record StorageProperties(
        @DefaultValue("filesystem") @NotNull Driver driver,
        @DefaultValue Filesystem filesystem,
        @DefaultValue Minio minio) {

    /** The storage driver kinds. */
    public enum Driver { FILESYSTEM, MINIO }

    /** @param root directory for objects; empty means {@code <wharf.data-dir>/storage} */
    public record Filesystem(@Nullable String root) {
    }

    /**
     * @param endpoint  URL of the S3 endpoint, e.g. {@code http://127.0.0.1:9000}
     * @param bucket    bucket name; created at start when missing
     * @param accessKey access key (from the environment: {@code WHARF_STORAGE_MINIO_ACCESS_KEY})
     * @param secretKey secret key (from the environment: {@code WHARF_STORAGE_MINIO_SECRET_KEY})
     * @param region    region, when the store needs one
     * @param partSize  multipart part size in bytes for streamed writes (at least 5 MiB)
     * @param redirect  whether blob GETs redirect clients to a presigned URL instead of streaming through Wharf
     */
    public record Minio(
            @Nullable String endpoint,
            @DefaultValue("wharf") String bucket,
            @Nullable String accessKey,
            @Nullable String secretKey,
            @Nullable String region,
            @DefaultValue("16777216") long partSize,
            @DefaultValue("false") boolean redirect) {
    }
}
