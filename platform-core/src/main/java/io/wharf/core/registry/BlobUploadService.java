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
import io.wharf.core.quota.QuotaGuard;
import org.springframework.core.io.InputStreamSource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
 *
 * <p>Every write path respects the project's storage limit ({@link QuotaGuard}): an upload whose bytes
 * would not fit is refused while they arrive (before a chunk that cannot fit is stored) and the upload is
 * cancelled; completing, mounting and storing a blob links it only under the quota's lock, after checking
 * that it fits. A refused push leaves nothing behind.
 */
@Service
public class BlobUploadService {

    private final UploadStore uploads;
    private final BlobStore blobs;
    private final LinkedBlobStore links;
    private final RepositoryStore repositories;
    private final RegistryProperties properties;
    private final AccessPolicy policy;
    private final QuotaGuard quota;
    private final TransactionTemplate transaction;

    BlobUploadService(UploadStore uploads, BlobStore blobs, LinkedBlobStore links, RepositoryStore repositories,
                      RegistryProperties properties, AccessPolicy policy, QuotaGuard quota,
                      PlatformTransactionManager transactions) {
        this.transaction = new TransactionTemplate(transactions);
        this.policy = policy;
        this.quota = quota;
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
     * @throws PlatformException {@link ErrorCode#QUOTA_EXCEEDED} when the project does not hold the blob and it does not fit
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
        // linking marks the blob; empty when the collector removed it since (the client then uploads it)
        return blob.flatMap(b -> link(caller, repository, b));
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
        return appendWithinQuota(caller, uploads.get(repository, id), null, start, declaredLength, content, uploads::append);
    }

    /**
     * Writes a chunk with {@code writer} unless the project's limit leaves no room for it: refused before
     * anything is stored when its declared length does not fit, and cut off as soon as its bytes exceed
     * the room otherwise; a refused upload is cancelled with its data. A blob that the project holds (by
     * the digest the completing request names) costs nothing, so it is not bounded.
     */
    private <T> T appendWithinQuota(Caller caller, UploadSession session, @Nullable Digest digest, @Nullable Long start,
                                    @Nullable Long declaredLength, InputStream content, ChunkWriter<T> writer) {
        Optional<QuotaGuard.Budget> budget = quota.budget(session.repository());
        if (budget.isEmpty() || digest != null && quota.holds(session.repository(), digest)) {
            return writer.write(session, start, declaredLength, content);
        }
        long room = budget.get().room() - session.size();
        if (declaredLength != null && declaredLength > room) {
            uploads.delete(session.id());
            throw quota.refuse(caller, session.repository(), null, budget.get(), session.size() + declaredLength, "this upload");
        }
        BoundedInputStream bounded = new BoundedInputStream(content, Math.max(room, 0));
        try {
            return writer.write(session, start, declaredLength, bounded);
        } catch (RuntimeException e) {
            if (!bounded.exceeded()) {
                throw e;
            }
            uploads.delete(session.id());
            throw quota.refuse(caller, session.repository(), null, budget.get(), session.size() + bounded.count(),
                "this upload");
        }
    }

    /** {@link UploadStore#append} or {@link UploadStore#write}. */
    @FunctionalInterface
    private interface ChunkWriter<T> {
        T write(UploadSession session, @Nullable Long start, @Nullable Long declaredLength, InputStream content);
    }

    /**
     * Completes the upload (PUT), after writing {@code content} when there is any: verifies the digest,
     * makes the blob visible and links it to the repository. On a digest mismatch the upload is
     * cancelled and nothing becomes visible.
     *
     * <p>The database sees one transaction that writes: the upload is taken (its row removed at the
     * size it had before this request, so that a concurrent PATCH or PUT loses), the blob committed and
     * linked. The last chunk is never recorded in the session on its own, so a monolithic push (POST,
     * then PUT with the content) commits two transactions in all.
     *
     * @throws PlatformException {@link ErrorCode#DIGEST_INVALID} when the content does not match {@code digest},
     *         {@link ErrorCode#QUOTA_EXCEEDED} when the blob does not fit in the project (the upload is cancelled)
     */
    public BlobInfo complete(Caller caller, RepositoryName repository, UUID id, Digest digest, @Nullable Long start,
                             @Nullable Long declaredLength, @Nullable InputStream content) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        UploadSession session = uploads.get(repository, id);
        Optional<UploadStore.Chunk> last = content == null ? Optional.empty()
            : appendWithinQuota(caller, session, digest, start, declaredLength, content, uploads::write);
        UploadSession whole = last.map(UploadStore.Chunk::session).orElse(session);
        Digest actual = last.flatMap(chunk -> chunk.digest(digest.algorithm()))
            .orElseGet(() -> uploads.digest(whole, digest.algorithm()));
        if (!actual.equals(digest)) {
            uploads.delete(id);
            throw new PlatformException(ErrorCode.DIGEST_INVALID,
                "the uploaded content has digest " + actual + ", not " + digest);
        }
        BlobInfo blob;
        try {
            // the bytes are moved into place only once the blob is known to fit; the quota's transaction (with a
            // limit) is the outer one, so that a refusal is recorded after it ends and holds no second connection
            blob = quota.charge(caller, repository, digest, whole.size(), "this blob", () -> transaction.execute(status -> {
                uploads.claim(session);
                BlobInfo committed = blobs.commit(digest, whole.size(), whole.chunks());
                links.link(repositories.getOrCreate(repository), digest);
                return committed;
            }));
        } catch (RuntimeException e) {
            uploads.delete(id);
            throw e;
        }
        uploads.discard(id);
        return blob;
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
     * @throws PlatformException {@link ErrorCode#QUOTA_EXCEEDED} when the blob does not fit in the project:
     *         refused before the content is opened when its size is known; otherwise (or when concurrent
     *         pushes took the room meanwhile) refused before it is linked, leaving an unlinked blob for
     *         garbage collection
     */
    public BlobInfo put(Caller caller, RepositoryName repository, Digest digest, @Nullable Long size,
                        InputStreamSource content) {
        return linkStored(caller, repository, digest, size).orElseGet(() -> {
            if (size != null) {
                quota.precheck(caller, repository, digest, size);
            }
            BlobInfo blob;
            try (InputStream in = content.getInputStream()) {
                blob = blobs.ingest(digest, size, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // just ingested, so marked: the collector cannot have removed it
            return link(caller, repository, blob).orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN,
                digest + " was collected while it was linked; send it again"));
        });
    }

    /**
     * Links blob {@code digest} into {@code repository} when the store already holds it, reading
     * nothing: the first step of {@link #put}, for a server-side copy that wants to know whether it
     * must download at all before it starts (the proxy cache, which streams what it downloads).
     *
     * @param size the size the blob must have, or null when unknown
     * @return the blob when the store holds it (now linked); empty when it must be stored first
     * @throws PlatformException {@link ErrorCode#SIZE_INVALID} when the stored blob has another size,
     *         {@link ErrorCode#QUOTA_EXCEEDED} when the project does not hold it and it does not fit (nothing is linked)
     */
    public Optional<BlobInfo> linkStored(Caller caller, RepositoryName repository, Digest digest, @Nullable Long size) {
        policy.require(caller, repository, AccessPolicy.PUSH);
        Optional<BlobInfo> stored = blobs.claim(digest); // marked: the collector leaves it alone (docs/gc.md)
        stored.ifPresent(blob -> {
            if (size != null && blob.size() != size) {
                throw new PlatformException(ErrorCode.SIZE_INVALID, digest + " has " + blob.size() + " bytes, not " + size);
            }
        });
        return stored.flatMap(blob -> link(caller, repository, blob));
    }

    /**
     * Links a stored blob into the repository when it fits in the project's quota; empty when the
     * collector removed the blob meanwhile (linking marks it, docs/gc.md).
     */
    private Optional<BlobInfo> link(Caller caller, RepositoryName repository, BlobInfo blob) {
        return quota.charge(caller, repository, blob.digest(), blob.size(), "this blob",
            () -> links.link(repositories.getOrCreate(repository), blob.digest()) ? Optional.of(blob) : Optional.<BlobInfo>empty());
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
