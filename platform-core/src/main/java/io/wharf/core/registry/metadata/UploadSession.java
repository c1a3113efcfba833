package io.wharf.core.registry.metadata;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A blob upload in progress.
 *
 * @param size   the number of bytes received so far
 * @param chunks the store paths holding those bytes, in order
 */
public record UploadSession(UUID id, String repository, long size, List<String> chunks) {

    static UploadSession of(UploadSessionEntity e) {
        return new UploadSession(e.id(), e.repositoryName(), e.size(),
            e.chunks().isEmpty() ? List.of() : Arrays.asList(e.chunks().split(",")));
    }
}
