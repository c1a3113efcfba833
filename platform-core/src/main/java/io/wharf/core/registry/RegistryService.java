package io.wharf.core.registry;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.Descriptor;
import io.wharf.core.registry.manifest.ManifestParser;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.core.registry.manifest.ParsedManifest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.storage.BlobStore;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.registry.metadata.TagRow;
import io.wharf.core.registry.metadata.TagStore;
import io.wharf.core.tagrule.ImmutableTags;
import org.jspecify.annotations.Nullable;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.quota.QuotaGuard;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import java.time.Duration;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The registry's use cases on manifests, tags and blobs once pushed: pull, push of manifests,
 * listing, referrers, deletion. Uploads are {@link BlobUploadService}'s.
 *
 * <p>Every use case takes the {@link Caller} and checks with {@link AccessPolicy} that it may take
 * the action on the repository ({@link ErrorCode#DENIED} otherwise), whoever calls: the {@code /v2}
 * endpoints (which check at the edge too, to answer with the token challenge), the console, a job.
 * Pushes, pulls and deletes are published as events ({@link ArtifactPushed}, {@link ArtifactPulled},
 * {@link ArtifactDeleted}, {@link TagDeleted}, {@link BlobDeleted}, {@link RepositoryDeleted}).
 */
@Service
public class RegistryService {

    private static final String DEFAULT_PLATFORM = "linux/amd64";

    private final RepositoryStore repositories;
    private final BlobStore blobs;
    private final LinkedBlobStore links;
    private final ManifestStore manifests;
    private final TagStore tags;
    private final ManifestParser parser = new ManifestParser();
    private final RegistryProperties properties;
    private final AccessPolicy policy;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ObjectProvider<PullThrough> pullThrough;
    private final ObjectProvider<ProjectService> projects;
    private final ObjectProvider<PullPolicy> pullPolicy;
    private final TransactionTemplate readOnly;
    private final ImmutableTags immutable;
    private final QuotaGuard quota;
    /** Which projects are proxy caches, and of which endpoint: a binding is set when a project is created. */
    private final Cache<String, Optional<Long>> proxies = Caffeine.newBuilder().maximumSize(10_000)
        .expireAfterWrite(Duration.ofMinutes(1)).build();

    RegistryService(RepositoryStore repositories, BlobStore blobs, LinkedBlobStore links, ManifestStore manifests,
                    TagStore tags, RegistryProperties properties, AccessPolicy policy, ApplicationEventPublisher events,
                    Clock clock, ObjectProvider<PullThrough> pullThrough, ObjectProvider<ProjectService> projects,
                    ObjectProvider<PullPolicy> pullPolicy, PlatformTransactionManager transactions, ImmutableTags immutable,
                    QuotaGuard quota) {
        this.immutable = immutable;
        this.quota = quota;
        this.pullThrough = pullThrough;
        this.pullPolicy = pullPolicy;
        this.projects = projects;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.policy = policy;
        this.events = events;
        this.clock = clock;
        this.repositories = repositories;
        this.blobs = blobs;
        this.links = links;
        this.manifests = manifests;
        this.tags = tags;
        this.properties = properties;
    }

    // ---- blobs -------------------------------------------------------------------------------

    /**
     * The blob, when linked to the repository (HEAD).
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the repository does not serve it
     */
    public BlobInfo statBlob(Caller caller, RepositoryName name, Digest digest) {
        policy.require(caller, name, AccessPolicy.PULL);
        return linked(name, digest).orElseGet(() -> pullThrough.getObject().statBlob(
            proxyRegistry(caller, name).orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString())),
            name, digest));
    }

    /**
     * The blob when it is linked to the repository, never asking a proxy project's upstream: for the
     * proxy cache, which looks again after a download it could have joined has just ended.
     */
    public Optional<BlobInfo> linkedBlob(Caller caller, RepositoryName name, Digest digest) {
        policy.require(caller, name, AccessPolicy.PULL);
        return linked(name, digest);
    }

    private Optional<BlobInfo> linked(RepositoryName name, Digest digest) {
        return links.stat(name, digest);
    }

    /**
     * The whole blob as a stream from the store, whatever the driver (never a redirect): for
     * server-side copies (replication pushes). The caller closes it.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the repository does not serve the blob
     */
    public InputStream openBlob(Caller caller, RepositoryName name, Digest digest) {
        statBlob(caller, name, digest);
        return blobs.open(digest, 0);
    }

    /**
     * Reads a blob linked to the repository (GET), whole or the one {@code range} asked for, in the
     * cheapest way the store allows: a redirect when the driver is configured for presigned URLs, the
     * local file when the driver keeps files, a stream otherwise. A range outside the blob is
     * {@link BlobContent.Unsatisfiable}, checked before any redirect. A {@link BlobContent.Streamed}
     * stream must be closed by the caller.
     *
     * @param range the requested range, or null for the whole blob
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN} when the repository does not serve the blob
     *         or the store lost its bytes
     */
    public BlobContent readBlob(Caller caller, RepositoryName name, Digest digest, @Nullable ByteRange range) {
        policy.require(caller, name, AccessPolicy.PULL);
        Optional<BlobInfo> linked = linked(name, digest);
        if (linked.isPresent()) {
            proxyRegistry(caller, name).ifPresent(registryId -> pullThrough.getObject().servedFromCache(registryId, name));
        } else {
            // a proxy-cache project fetches it; the first readers get the bytes as they arrive
            long registryId = proxyRegistry(caller, name)
                .orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString()));
            Optional<PullThrough.Arriving> arriving = pullThrough.getObject().fetchBlob(registryId, name, digest);
            if (arriving.isPresent()) {
                BlobInfo blob = arriving.get().blob();
                if (range != null && !range.satisfiable(blob.size())) {
                    return new BlobContent.Unsatisfiable(blob);
                }
                BlobContent.Slice slice = slice(blob, range);
                Optional<InputStream> bytes = arriving.get().open(slice.offset());
                if (bytes.isPresent()) {
                    return new BlobContent.Streamed(blob, slice, bytes.get());
                }
            }
            linked = linked(name, digest);
        }
        BlobInfo blob = linked.orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString()));
        if (range != null && !range.satisfiable(blob.size())) {
            return new BlobContent.Unsatisfiable(blob);
        }
        Optional<String> redirect = blobs.redirectUrl(digest);
        if (redirect.isPresent()) {
            return new BlobContent.Redirect(blob, redirect.get());
        }
        BlobContent.Slice slice = slice(blob, range);
        Optional<Path> file = blobs.localFile(digest);
        if (file.isPresent()) {
            return new BlobContent.LocalFile(blob, slice, file.get());
        }
        return new BlobContent.Streamed(blob, slice, blobs.open(digest, slice.offset()));
    }

    private static BlobContent.Slice slice(BlobInfo blob, @Nullable ByteRange range) {
        return range == null
            ? new BlobContent.Slice(0, blob.size(), false)
            : new BlobContent.Slice(range.offset(blob.size()), range.length(blob.size()), true);
    }

    /**
     * Unlinks the blob from the repository. Refused while a manifest of the repository refers to it.
     *
     * @throws PlatformException {@link ErrorCode#BLOB_UNKNOWN}, {@link ErrorCode#UNSUPPORTED} when deletes are
     *         disabled or a manifest of the repository still refers to the blob
     */
    @Transactional
    public void deleteBlob(Caller caller, RepositoryName name, Digest digest) {
        policy.require(caller, name, AccessPolicy.DELETE);
        requireDeleteEnabled();
        long id = repositoryId(name, () -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString()));
        if (links.stat(id, digest).isEmpty()) {
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest.toString());
        }
        if (links.isReferenced(id, digest)) {
            // 405 UNSUPPORTED, as for any blob delete the registry will not do; clients treat it as "not deleted"
            throw new PlatformException(ErrorCode.UNSUPPORTED,
                "blob " + digest + " is referenced by a manifest of " + name + "; delete the manifest first");
        }
        links.unlink(id, digest);
        events.publishEvent(new BlobDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, digest));
    }

    // ---- manifests ---------------------------------------------------------------------------

    /**
     * Validates and stores a manifest, and moves the tag when {@code reference} is one.
     *
     * @param contentType the request's media type without parameters, or null
     * @throws PlatformException {@link ErrorCode#MANIFEST_INVALID}, {@link ErrorCode#DIGEST_INVALID}
                    ObjectProvider<PullPolicy> pullPolicy, PlatformTransactionManager transactions, ImmutableTags immutable,
                    QuotaGuard quota) {
        this.immutable = immutable;
        this.quota = quota;
     */
    @Transactional
    public ManifestInfo putManifest(Caller caller, RepositoryName name, Reference reference, @Nullable String contentType,
                                    byte[] body) {
        return store(caller, name, reference, contentType, body, true);
    }

    /**
     * Stores a manifest fetched for a proxy-cache project as it came, byte for byte, without requiring
     * the blobs and children it references (they are fetched when a client asks for them): Wharf's own
     * use (the system caller) only.
     *
     * @throws PlatformException {@link ErrorCode#DENIED} for any other caller, and as {@link #putManifest}
     */
    @Transactional
    public ManifestInfo cacheManifest(Caller caller, RepositoryName name, Reference reference, @Nullable String contentType,
                                      byte[] body) {
        if (!caller.isSystem()) {
            throw new PlatformException(ErrorCode.DENIED, "only Wharf itself fills a proxy cache");
        }
        return store(caller, name, reference, contentType, body, false);
    }

    private ManifestInfo store(Caller caller, RepositoryName name, Reference reference, @Nullable String contentType,
                               byte[] body, boolean checkReferences) {
        policy.require(caller, name, AccessPolicy.PUSH);
        Digest digest = reference.isDigest()
            ? Digest.of(reference.digest().algorithm(), body)
            : Digest.sha256(body);
        if (reference.isDigest() && !digest.equals(reference.digest())) {
            throw new PlatformException(ErrorCode.DIGEST_INVALID,
                "the manifest's digest is " + digest + ", not " + reference.digest());
        }
        ParsedManifest parsed = parser.parse(body, contentType);
        Optional<Long> existing = repositories.find(name);
        if (checkReferences) {
            checkReferences(existing, parsed);
        }
        boolean keepTag = reference.tag() != null && existing.isPresent() && immutableTagKept(name, existing.get(),
            reference.tag(), checkReferences);
        long repositoryId = existing.orElseGet(() -> repositories.getOrCreate(name));
        if (parsed.subject() != null) {
            manifests.mark(repositoryId, parsed.subject().digest()); // a present subject is kept by this referrer
        }
        // the manifest's own bytes count against the project's quota (nothing when the project holds it)
        ManifestInfo stored = quota.charge(caller, name, digest, body.length, "this manifest",
            () -> manifests.put(repositoryId, digest, body, parsed));
        if (reference.tag() != null && !keepTag) {
            tags.tag(repositoryId, reference.tag(), stored.id());
        }
        events.publishEvent(new ArtifactPushed(caller.name(), caller.remoteAddr(), clock.instant(), name, digest, reference.tag(),
            stored.mediaType(), stored.size()));
        return stored;
    }

    /**
     * Whether an existing {@code tag} of the repository is immutable: a client's push onto it is refused
     * whatever the digest (as Harbor refuses it), while a proxy cache filling itself keeps the tag where
     * it is (the manifest is stored by digest) and serves what it cached.
     *
     * @throws PlatformException {@link ErrorCode#PRECONDITION} for a client's push onto an immutable tag
     */
    private boolean immutableTagKept(RepositoryName name, long repositoryId, String tag, boolean clientPush) {
        if (tags.find(repositoryId, tag).isEmpty()) {
            return false; // a new tag is never an overwrite
        }
        Optional<ImmutableTags.Match> match = immutable.firstImmutable(name, List.of(tag));
        if (match.isPresent() && clientPush) {
            throw ImmutableTags.refused(name, match.get(), "overwritten");
        }
        return match.isPresent();
    }

    /**
     * The manifest {@code reference} of the repository. When a tag names an index the client does not
     * accept, but the client accepts image manifests, the index's {@code linux/amd64} child is served
     * instead (as registries do for old clients). A digest always gets exactly its manifest. The
     * project's {@link PullPolicy} may refuse it (never Wharf's own reads or a scanner's).
     *
     * @param accept the media types the client accepts; empty means any
     */
    public ManifestContent getManifest(Caller caller, RepositoryName name, Reference reference, List<String> accept) {
        refreshFromUpstream(caller, name, reference, accept);
        boolean pull = !caller.isSystem() && !caller.isScanner(); // Wharf's own reads (replication, scans) are not pulls
        ManifestContent content = readOnly.execute(status -> {
            policy.require(caller, name, AccessPolicy.PULL);
            ManifestContent found = findManifest(name, reference, accept);
            if (pull) {
                pullPolicy.ifAvailable(check -> check.check(name, found.info())); // in the same read: one transaction a pull
            }
            return found;
        });
        if (!pull) {
            return content; // no count, no "last pulled", no policy
        }
        events.publishEvent(new ArtifactPulled(caller.name(), caller.remoteAddr(), clock.instant(), name,
            content.info().digest(), reference.toString(), content.info().mediaType()));
        return content;
    }

    private ManifestContent findManifest(RepositoryName name, Reference reference, List<String> accept) {
        ManifestStore.Located located = locate(name, reference);
        ManifestInfo info = located.info();
        if (reference.tag() != null && MediaTypes.INDEXES.contains(info.mediaType()) && !accepts(accept, info.mediaType())
            && accept.stream().anyMatch(MediaTypes.IMAGE_MANIFESTS::contains)) {
            Optional<ManifestContent> child = platformChild(located.repositoryId(), info, accept);
            if (child.isPresent()) {
                return child.get();
            }
        }
        return new ManifestContent(info, manifests.content(info));
    }

    /** The manifest's index entry without its bytes (HEAD). */
    public ManifestInfo statManifest(Caller caller, RepositoryName name, Reference reference, List<String> accept) {
        refreshFromUpstream(caller, name, reference, accept);
        return readOnly.execute(status -> {
            policy.require(caller, name, AccessPolicy.PULL);
            return statLocal(name, reference, accept);
        });
    }

    private ManifestInfo statLocal(RepositoryName name, Reference reference, List<String> accept) {
        ManifestInfo info = locate(name, reference).info();
        if (reference.tag() != null && MediaTypes.INDEXES.contains(info.mediaType()) && !accepts(accept, info.mediaType())) {
            return findManifest(name, reference, accept).info();
        }
        return info;
    }

    /**
     * Deletes a manifest (by digest: with all its tags) or only a tag (by tag).
     *
     * @throws PlatformException {@link ErrorCode#MANIFEST_UNKNOWN}, {@link ErrorCode#UNSUPPORTED} when disabled,
     *         {@link ErrorCode#PRECONDITION} when the tag, or a tag of the manifest, is immutable
     */
    @Transactional
    public void deleteManifest(Caller caller, RepositoryName name, Reference reference) {
        policy.require(caller, name, AccessPolicy.DELETE);
        requireDeleteEnabled();
        long id = repositoryId(name, () -> new PlatformException(ErrorCode.NAME_UNKNOWN, name.value()));
        immutable.requireMutable(name, reference.isDigest() ? tagsOf(id, reference.digest())
            : tags.find(id, reference.tag()).map(t -> List.of(t.name())).orElse(List.of()), "deleted");
        boolean deleted = reference.isDigest()
            ? manifests.delete(id, reference.digest())
            : tags.delete(id, reference.tag());
        if (!deleted) {
            throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, reference.toString());
        }
        events.publishEvent(reference.isDigest()
            ? new ArtifactDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, reference.digest())
            : new TagDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, reference.tag()));
    }

    /**
     * Expires a cached manifest of a proxy-cache project: deletes it with its tags, as
     * {@link #deleteManifest} does by digest, but only if, as the row is deleted, it was last pulled
     * (never pulled: stored) before {@code cutoff} and no index lists it and no referrer names it as its
     * subject, so that a pull recorded meanwhile keeps it, and no immutable tag names it. Published as {@link ArtifactDeleted}. The
     * blobs stay (garbage collection frees them). Cache upkeep, not a client's delete: Wharf's own use
     * (the system caller) only, whatever {@code wharf.registry.delete-enabled} says.
     *
     * @return whether it was deleted (false too when the repository or manifest is gone)
     * @throws PlatformException {@link ErrorCode#DENIED} for any other caller
     */
    @Transactional
    public boolean expireManifest(Caller caller, RepositoryName name, Digest digest, OffsetDateTime cutoff) {
        return deleteIf(caller, name, digest, "only Wharf itself expires cached content",
            id -> manifests.deleteIfIdle(id, digest, cutoff));
    }

    /** Deletes, as the system, what {@code conditionalDelete} deletes in the repository, and tells who listens. */
    private boolean deleteIf(Caller caller, RepositoryName name, Digest digest, String systemOnly,
                             java.util.function.LongPredicate conditionalDelete) {
        if (!caller.isSystem()) {
            throw new PlatformException(ErrorCode.DENIED, systemOnly);
        }
        policy.require(caller, name, AccessPolicy.DELETE);
        Optional<Long> repositoryId = repositories.find(name);
        if (repositoryId.isPresent() && immutable.firstImmutable(name, tagsOf(repositoryId.get(), digest)).isPresent()) {
            return false; // an immutable tag keeps its manifest
        }
        if (repositoryId.isEmpty() || !conditionalDelete.test(repositoryId.get())) {
            return false;
        }
        events.publishEvent(new ArtifactDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, digest));
        return true;
    }

    /**
     * Garbage collection's delete of an untagged manifest ({@code delete_untagged}, docs/gc.md): deletes
     * manifest {@code digest} of the repository with its references, as the system, only if, when its
     * row is deleted, it still has no tag, was last marked before {@code cutoff} and no index or
     * referrer of its repository keeps it (one conditional statement, like {@link #expireManifest}).
     * Publishes {@link ArtifactDeleted}, so the audit log and webhooks see it.
     *
     * @return whether it was deleted
     */
    @Transactional
    public boolean collectManifest(Caller caller, RepositoryName name, Digest digest, OffsetDateTime cutoff) {
        return deleteIf(caller, name, digest, "only Wharf itself collects garbage",
            id -> manifests.deleteIfUntagged(id, digest, cutoff));
    }

    /**
     * Deletes a repository with all its manifests, tags and blob links, as Harbor does; each manifest
     * is published as {@link ArtifactDeleted}, then the repository as {@link RepositoryDeleted}. The
     * blobs' bytes stay for garbage collection.
     *
     * @throws PlatformException {@link ErrorCode#NAME_UNKNOWN}, {@link ErrorCode#UNSUPPORTED} when deletes are disabled,
     *         {@link ErrorCode#PRECONDITION} when a tag of the repository is immutable (nothing is deleted)
     */
    @Transactional
    public void deleteRepository(Caller caller, RepositoryName name) {
        policy.require(caller, name, AccessPolicy.DELETE);
        requireDeleteEnabled();
        long id = repositoryId(name, () -> new PlatformException(ErrorCode.NAME_UNKNOWN, name.value()));
        immutable.requireMutable(name, tags.names(id, "", Integer.MAX_VALUE), "deleted");
        List<Digest> digests = manifests.digests(id);
        repositories.delete(id);
        for (Digest digest : digests) {
            events.publishEvent(new ArtifactDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, digest));
        }
        events.publishEvent(new RepositoryDeleted(caller.name(), caller.remoteAddr(), clock.instant(), name, digests.size()));
    }

    // ---- listing -----------------------------------------------------------------------------

    /**
     * A page of the repository's tags in code-point order (the spec's lexical order), read from the
     * database by keyset: the {@code n} tags after {@code last}.
     *
     * @param n    the page size; null for all (still read in batches), 0 for an empty page
     * @param last the tag the previous page ended with, or null to start at the beginning
     * @throws PlatformException {@link ErrorCode#NAME_UNKNOWN} when the repository does not exist
     */
    @Transactional(readOnly = true)
    public Page tags(Caller caller, RepositoryName name, @Nullable Integer n, @Nullable String last) {
        policy.require(caller, name, AccessPolicy.PULL);
        long id = repositoryId(name, () -> new PlatformException(ErrorCode.NAME_UNKNOWN, name.value()));
        return Page.collect((after, limit) -> tags.names(id, after, limit), n, last, tag -> true);
    }

    /**
     * A page of the repository names the caller's identity may pull from, in code-point order, read
     * from the database in batches by keyset until {@code n} visible names (and whether one more
     * follows) are known.
     *
     * @param n    the page size; null for all, 0 for an empty page
     * @param last the name the previous page ended with, or null to start at the beginning
     */
    @Transactional(readOnly = true)
    public Page catalog(Caller caller, @Nullable Integer n, @Nullable String last) {
        return Page.collect(repositories::names, n, last, repository -> policy.maySee(caller, RepositoryName.of(repository)));
    }

    /**
     * The manifests of the repository that refer to {@code subject}, optionally only those of
     * {@code artifactType}. An unknown repository or subject has no referrers.
     */
    @Transactional(readOnly = true)
    public List<ManifestInfo> referrers(Caller caller, RepositoryName name, Digest subject, @Nullable String artifactType) {
        policy.require(caller, name, AccessPolicy.PULL);
        return repositories.find(name)
            .map(id -> manifests.referrers(id, subject))
            .orElse(List.of())
            .stream()
            .filter(m -> artifactType == null || artifactType.equals(m.artifactType()))
            .toList();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void checkReferences(Optional<Long> repositoryId, ParsedManifest parsed) {
        List<Descriptor> blobs = new java.util.ArrayList<>();
        if (parsed.config() != null) {
            blobs.add(parsed.config());
        }
        parsed.layers().stream().filter(layer -> layer.urls().isEmpty()).forEach(blobs::add); // foreign layers are not stored
        java.util.Map<Digest, BlobInfo> linked = repositoryId
            .map(id -> links.markAll(id, blobs.stream().map(Descriptor::digest).toList()))
            .orElse(java.util.Map.of());
        for (Descriptor blob : blobs) {
            BlobInfo found = linked.get(blob.digest());
            if (found == null) {
                throw new PlatformException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "blob " + blob.digest() + " is not in the repository");
            }
            checkSize(blob, found.size());
        }
        for (Descriptor child : parsed.manifests()) {
            // marked: a collection deleting the child meanwhile waits for this push and keeps it (docs/gc.md)
            Optional<ManifestInfo> found = repositoryId.filter(id -> manifests.mark(id, child.digest()))
                .flatMap(id -> manifests.find(id, child.digest()));
            if (found.isEmpty()) {
                throw new PlatformException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest " + child.digest() + " is not in the repository");
            }
            checkSize(child, found.get().size());
        }
    }

    private static void checkSize(Descriptor descriptor, long actual) {
        if (descriptor.size() != actual) {
            throw new PlatformException(ErrorCode.MANIFEST_INVALID, "descriptor of " + descriptor.digest()
                + " says size " + descriptor.size() + " but the content has " + actual + " bytes");
        }
    }

    /** The names of the tags on manifest {@code digest} of the repository; empty when it has none or no such manifest. */
    private List<String> tagsOf(long repositoryId, Digest digest) {
        return manifests.find(repositoryId, digest)
            .map(m -> tags.tagsOf(List.of(m.id())).stream().map(TagRow::name).toList())
            .orElse(List.of());
    }

    /**
     * The manifest {@code reference} names in the repository, in one query; when there is none, a
     * second one tells which error it is: {@link ErrorCode#NAME_UNKNOWN} for a repository that does not
     * exist, else {@link ErrorCode#MANIFEST_UNKNOWN}.
     */
    private ManifestStore.Located locate(RepositoryName name, Reference reference) {
        Optional<ManifestStore.Located> found = reference.isDigest()
            ? manifests.locateByDigest(name, reference.digest())
            : manifests.locateByTag(name, reference.tag());
        return found.orElseThrow(() -> repositories.find(name).isEmpty()
            ? new PlatformException(ErrorCode.NAME_UNKNOWN, name.value())
            : new PlatformException(ErrorCode.MANIFEST_UNKNOWN, reference.toString()));
    }

    private Optional<ManifestContent> platformChild(long repositoryId, ManifestInfo index, List<String> accept) {
        byte[] content = manifests.content(index);
        return parser.parse(content, index.mediaType()).manifests().stream()
            .filter(d -> DEFAULT_PLATFORM.equals(d.platform()) && accepts(accept, d.mediaType()))
            .findFirst()
            .flatMap(d -> manifests.find(repositoryId, d.digest()))
            .map(child -> new ManifestContent(child, manifests.content(child)));
    }

    /**
     * In a proxy-cache project, asks the upstream (through {@link PullThrough}) before a manifest is
     * read: a tag may have moved there, a digest may not be cached yet. A digest already cached makes
     * no upstream request at all. Wharf's own reads (the cache filling itself) never ask. The caller
     * must be allowed to pull before anything is fetched; for other projects nothing happens here, and
     * the read is one read-only transaction, access check included.
     */
    private void refreshFromUpstream(Caller caller, RepositoryName name, Reference reference, List<String> accept) {
        Optional<Long> upstream = proxyRegistry(caller, name);
        if (upstream.isEmpty()) {
            return;
        }
        policy.require(caller, name, AccessPolicy.PULL);
        if (reference.isDigest() && Boolean.TRUE.equals(readOnly.execute(status -> repositories.find(name)
            .flatMap(id -> manifests.find(id, reference.digest())).isPresent()))) {
            pullThrough.getObject().servedFromCache(upstream.get(), name);
            return;
        }
        pullThrough.getObject().refreshManifest(upstream.get(), name, reference, accept);
    }

    /**
     * The registry endpoint of {@code name}'s project when it is a proxy cache (and one can be asked);
     * never for Wharf's own reads (the cache filling itself).
     */
    private Optional<Long> proxyRegistry(Caller caller, RepositoryName name) {
        if (caller.isSystem() || pullThrough.getIfAvailable() == null) {
            return Optional.empty();
        }
        return proxies.get(name.project(), project -> projects.getObject().find(project).map(Project::registryId));
    }

    private static boolean accepts(List<String> accept, String mediaType) {
        return accept.isEmpty() || accept.contains(mediaType) || accept.contains("*/*") || accept.contains("application/*");
    }

    private long repositoryId(RepositoryName name, java.util.function.Supplier<PlatformException> missing) {
        return repositories.find(name).orElseThrow(missing);
    }

    private void requireDeleteEnabled() {
        if (!properties.deleteEnabled()) {
            throw new PlatformException(ErrorCode.UNSUPPORTED, "deletion is disabled on this registry");
        }
    }
}
