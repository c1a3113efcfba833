package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A blob upload in progress.
 *
 * @param repository the repository the blob is pushed to
 * @param size   the number of bytes received so far
 * @param chunks the store paths holding those bytes, in order
 */
public record UploadSession(UUID id, RepositoryName repository, long size, List<String> chunks) {

    static UploadSession of(UploadSessionEntity e) {
        // the name was validated when the session started
        return new UploadSession(e.id(), new RepositoryName(e.repositoryName()), e.size(),
            e.chunks().isEmpty() ? List.of() : Arrays.asList(e.chunks().split(",")));
    }
}
