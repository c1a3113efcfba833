package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.storage.BlobStore;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.registry.metadata.UploadSession;
import io.wharf.core.registry.metadata.UploadStore;
import org.jspecify.annotations.Nullable;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import org.springframework.core.io.InputStreamSource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Pushing blobs: upload sessions (monolithic, chunked and streamed), completion with digest
 * verification, cross-repository mounts, and the purge of abandoned uploads. Each use case requires
 * the caller to be granted push on the repository.
 */
@Service
public class BlobUploadService {

    private final UploadStore uploads;
    private final BlobStore blobs;
    private final LinkedBlobStore links;
    private final RepositoryStore repositories;
    private final RegistryProperties properties;
    private final AccessPolicy policy;

    BlobUploadService(UploadStore uploads, BlobStore blobs, LinkedBlobStore links, RepositoryStore repositories,
                      RegistryProperties properties, AccessPolicy policy) {
        this.policy = policy;
        this.uploads = uploads;
        this.blobs = blobs;
        this.links = links;
        this.repositories = repositories;
        this.properties = properties;
    }

    /** Starts an upload session in {@code repository}. */
    public UploadSession start(Caller caller, RepositoryName repository) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        return uploads.start(repository);
    }

    /**
     * Mounts blob {@code digest} into {@code repository} from {@code from}, when the caller is granted
     * pull there (by its token, when it has one), or, when {@code from} is null, from any repository
     * that has the blob and that the caller's identity may pull from.
     *
     * @return the blob when mounted; empty when it cannot be (the caller then starts an upload)
     */
    public Optional<BlobInfo> mount(Caller caller, RepositoryName repository, Digest digest, @Nullable RepositoryName from) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        Predicate<RepositoryName> readable = from != null
            ? name -> policy.repositoryActions(caller, name).contains(AccessPolicy.PULL)
            : name -> policy.maySee(caller, name);
        Optional<RepositoryName> source = from != null
            ? Optional.of(from).filter(readable)
            : links.repositoriesLinking(digest).stream().filter(readable).findFirst();
        Optional<BlobInfo> blob = source.flatMap(repositories::find).flatMap(id -> links.stat(id, digest));
        // link marks the blob; false when the collector removed it since (the client then uploads it)
        return blob.filter(b -> links.link(repositories.getOrCreate(repository), digest));
    }

    /** The upload {@code id} of {@code repository}; {@link ErrorCode#BLOB_UPLOAD_UNKNOWN} when there is none. */
    public UploadSession get(Caller caller, RepositoryName repository, UUID id) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        return uploads.get(repository, id);
    }

    /**
     * Appends a chunk (PATCH). {@code start} and {@code declaredLength} come from {@code Content-Range}
     * and {@code Content-Length} when the client sent them.
     */
    public UploadSession append(Caller caller, RepositoryName repository, UUID id, @Nullable Long start,
                                @Nullable Long declaredLength, InputStream content) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        return uploads.append(uploads.get(repository, id), start, declaredLength, content);
    }

    /**
     * Completes the upload (PUT), after appending {@code content} when there is any: verifies the
     * digest, makes the blob visible and links it to the repository. On a digest mismatch the upload
     * is cancelled and nothing becomes visible.
     *
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} when the content does not match {@code digest}
     */
    public BlobInfo complete(Caller caller, RepositoryName repository, UUID id, Digest digest, @Nullable Long start,
                             @Nullable Long declaredLength, @Nullable InputStream content) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        UploadSession session = uploads.get(repository, id);
        if (content != null) {
            session = uploads.append(session, start, declaredLength, content);
        }
        Digest actual = uploads.digest(session, digest.algorithm());
        if (!actual.equals(digest)) {
            uploads.delete(id);
            throw new PlatformException(ErrorCode.DIGEST_INVALID,
                "the uploaded content has digest " + actual + ", not " + digest);
        }
        uploads.claim(session);
        try {
            BlobInfo blob = blobs.commit(digest, session.size(), session.chunks());
            links.link(repositories.getOrCreate(repository), digest);
            return blob;
        } finally {
            uploads.delete(id);
        }
    }

    /**
     * Stores a blob and links it into {@code repository} in one step, without an upload session: the
     * write path of server-side copies (replication, the proxy cache) whose source is a stream. A blob
     * the store already holds is linked without opening {@code content}; otherwise the content streams
     * through the blob store's ingest, which verifies digest and size before anything becomes visible.
     *
     * @param size the size the content must have, or null when unknown
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} or {@link ErrorCode#SIZE_INVALID} when
     *         the content does not match (nothing is stored or linked)
     * @throws UncheckedIOException when reading the content fails (nothing is stored or linked)
     */
    public BlobInfo put(Caller caller, RepositoryName repository, Digest digest, @Nullable Long size,
                        InputStreamSource content) {
        return linkStored(caller, repository, digest, size).orElseGet(() -> {
            BlobInfo blob;
            try (InputStream in = content.getInputStream()) {
                blob = blobs.ingest(digest, size, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            links.link(repositories.getOrCreate(repository), digest);
            return blob;
        });
    }

    /**
     * Links blob {@code digest} into {@code repository} when the store already holds it, reading
     * nothing: the first step of {@link #put}, for a server-side copy that wants to know whether it
     * must download at all before it starts (the proxy cache, which streams what it downloads).
     *
     * @param size the size the blob must have, or null when unknown
     * @return the blob when the store holds it (now linked); empty when it must be stored first
     * @throws PlatformException {@link ErrorCode#SIZE_INVALID} when the stored blob has another size
     */
    public Optional<BlobInfo> linkStored(Caller caller, RepositoryName repository, Digest digest, @Nullable Long size) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        Optional<BlobInfo> stored = blobs.claim(digest); // marked: the collector leaves it alone (docs/gc.md)
        stored.ifPresent(blob -> {
            if (size != null && blob.size() != size) {
                throw new PlatformException(ErrorCode.SIZE_INVALID, digest + " has " + blob.size() + " bytes, not " + size);
            }
        });
        return stored.filter(blob -> links.link(repositories.getOrCreate(repository), digest));
    }

    /** Cancels the upload (DELETE): its data is removed. */
    public void cancel(Caller caller, RepositoryName repository, UUID id) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        uploads.get(repository, id);
        uploads.delete(id);
    }

    /** Purges uploads abandoned for longer than {@code wharf.registry.upload-ttl}; runs on every node. */
    @Scheduled(fixedDelayString = "${wharf.registry.upload-purge-interval:15m}",
        initialDelayString = "${wharf.registry.upload-purge-interval:15m}")
    public int purgeStaleUploads() {
        return uploads.purge(properties.uploadTtl());
    }
}
