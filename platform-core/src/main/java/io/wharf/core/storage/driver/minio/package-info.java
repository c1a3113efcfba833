/** The MinIO storage driver: objects in a bucket of any S3-compatible store. */
@NullMarked
package io.wharf.core.storage.driver.minio;

import org.jspecify.annotations.NullMarked;
