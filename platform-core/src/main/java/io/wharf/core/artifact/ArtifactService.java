package io.wharf.core.artifact;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Role;
import io.wharf.core.registry.Reference;
import io.wharf.core.quota.QuotaGuard;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.ArtifactRow;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.core.registry.metadata.TagFilter;
import io.wharf.core.registry.metadata.TagStore;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Artifacts as Harbor's API manages them: listing, reading, deleting, copying between repositories,
 * and their tags. Reading needs pull in the project, tagging and copying in push (and pull on the
 * source), deleting delete. Deletes are the registry's own ({@link RegistryService#deleteManifest}),
 * so they behave as on {@code /v2}, {@code wharf.registry.delete-enabled} included, except that,
 * as in Harbor, an artifact an index of its repository lists is not deleted here (on {@code /v2} it
 * is, as the distribution spec's conformance tests expect).
 */
@Service
public class ArtifactService {

    private static final Map<String, String> SORT_KEYS = Map.of("push_time", "pushedAt");
    /** Harbor's default for artifacts and for tags alike: the newest push first, then the highest id. */
    private static final Sort DEFAULT_SORT = Sort.by(Sort.Order.desc("pushedAt"), Sort.Order.desc("id"));
    private static final Map<String, String> TAG_SORT_KEYS = Map.of("name", "name", "push_time", "updatedAt");
    private static final Sort DEFAULT_TAG_SORT = Sort.by(Sort.Order.desc("updatedAt"), Sort.Order.desc("id"));

    private final RepositoryAccess access;
    private final ManifestStore manifests;
    private final TagStore tags;
    private final ArtifactViews views;
    private final ArtifactCopier copier;
    private final RegistryService registry;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final QuotaGuard quota;

    ArtifactService(RepositoryAccess access, ManifestStore manifests, TagStore tags, ArtifactViews views, ArtifactCopier copier,
                    RegistryService registry, ApplicationEventPublisher events, Clock clock, QuotaGuard quota) {
        this.quota = quota;
        this.access = access;
        this.manifests = manifests;
        this.tags = tags;
        this.views = views;
        this.copier = copier;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /**
     * One page of the repository's artifacts, newest push first unless {@code sort} says otherwise.
     *
     * @param q       Harbor's query over {@code tags} ({@code *}: tagged, {@code nil}: untagged, {@code ~v}: a tag
     *                containing v, {@code v}: the tag v; no lists, as in Harbor) and {@code digest} (a digest, a
     *                fragment with {@code ~}, or lists of digests, see {@link HarborQuery}); null for all
     * @param sort    Harbor's sort over {@code push_time}; null: newest first
     * @param withTag whether each artifact carries its tags
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED},
     *         {@link ErrorCode#INVALID_ARGUMENT} for bad {@code q} or {@code sort}, a value of {@code digest} that is no digest
     */
    @Transactional(readOnly = true)
    public Page<Artifact> list(Caller caller, RepositoryName name, @Nullable String q, @Nullable String sort, boolean withTag,
                               Pageable pageable) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PULL);
        HarborQuery query = HarborQuery.parse(q, Set.of("tags", "digest"));
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
            HarborQuery.sort(sort, SORT_KEYS, DEFAULT_SORT));
        Page<ArtifactRow> rows = manifests.page(target.repositoryId(), digests(query.get("digest")), tagFilter(query.get("tags")),
            sorted);
        return new PageImpl<>(views.of(target.project().id(), name, rows.getContent(), withTag), sorted, rows.getTotalElements());
    }

    /**
     * The artifact {@code reference} (a digest or a tag) of the repository.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project, repository or artifact,
     *         {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}
     */
    @Transactional(readOnly = true)
    public Artifact get(Caller caller, RepositoryName name, String reference, boolean withTag) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PULL);
        return views.of(target.project().id(), name, List.of(resolve(target, reference)), withTag).get(0);
    }

    /**
     * Deletes the artifact {@code reference} (by tag: the artifact the tag names, with all its tags),
     * through the registry's delete by digest; an index's children stay. An artifact that an index of
     * the repository lists is refused, as Harbor refuses it; delete the index first.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED},
     *         {@link ErrorCode#REFERENCED} (nothing deleted) naming the indexes that list it,
     *         {@link ErrorCode#UNSUPPORTED} when deletes are disabled
     */
    @Transactional
    public void delete(Caller caller, RepositoryName name, String reference) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.DELETE);
        Digest digest = resolve(target, reference).manifest().digest();
        List<Digest> parents = manifests.parents(target.repositoryId(), digest);
        if (!parents.isEmpty()) {
            throw new PlatformException(ErrorCode.REFERENCED, "the artifact " + name + "@" + digest
                + " is referenced by the index " + name + "@" + parents.get(0)
                + (parents.size() > 1 ? " and " + (parents.size() - 1) + " more" : "") + "; delete the index first");
        }
        registry.deleteManifest(caller, name, new Reference(null, digest));
    }

    /**
     * Copies the artifact {@code from} ({@code project/repository@digest} or {@code project/repository:tag})
     * into repository {@code name}, created when missing: an index with its children; blobs are linked,
     * never copied; the tags of the copied artifact come along. Needs pull on the source and push on
     * the target. Publishes {@link ArtifactCopied}.
     *
     * @return the digest of the copied artifact
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a malformed {@code from},
     *         {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED},
     *         {@link ErrorCode#CONFLICT} when the target repository has the artifact already
     */
    @Transactional
    public Digest copy(Caller caller, RepositoryName name, String from) {
        int at = from.indexOf('@');
        int colon = from.lastIndexOf(':');
        boolean byDigest = at > 0;
        if (!byDigest && colon <= from.lastIndexOf('/')) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "from must be project/repository@digest or project/repository:tag");
        }
        RepositoryName sourceName = name(from.substring(0, byDigest ? at : colon));
        RepositoryAccess.Target source = access.repository(caller, sourceName, Role.Capability.PULL);
        ArtifactRow artifact = resolve(source, from.substring((byDigest ? at : colon) + 1));
        access.project(caller, name.project(), Role.Capability.PUSH);
        // the copy counts against the target project's quota like a push of what it does not hold yet
        quota.charge(caller, name, copier.contents(source.repositoryId(), artifact.manifest()), "this copy", () -> {
            copier.copy(source.repositoryId(), artifact, name);
            return artifact;
        });
        events.publishEvent(new ArtifactCopied(caller.name(), caller.remoteAddr(), clock.instant(), name,
            artifact.manifest().digest(), sourceName));
        return artifact.manifest().digest();
    }

    /**
     * One page of the artifact's tags, newest push first (Harbor's default) unless {@code sort} says otherwise.
     *
     * @param q    Harbor's query over {@code name} in any of its text forms (see {@link HarborQuery}); null for all
     * @param sort Harbor's sort over {@code name} and {@code push_time}
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED},
     *         {@link ErrorCode#INVALID_ARGUMENT}
     */
    @Transactional(readOnly = true)
    public Page<Artifact.Tag> tags(Caller caller, RepositoryName name, String reference, @Nullable String q, @Nullable String sort,
                                   Pageable pageable) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PULL);
        ArtifactRow artifact = resolve(target, reference);
        Sort order = HarborQuery.sort(sort, TAG_SORT_KEYS, DEFAULT_TAG_SORT);
        return tags.page(artifact.manifest().id(), HarborQuery.parse(q, Set.of("name")).match("name"),
                PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), order))
            .map(ArtifactViews::tag);
    }

    /**
     * Creates tag {@code tag} on the artifact {@code reference}; needs push. Publishes {@link TagCreated}.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a malformed tag, {@link ErrorCode#NOT_FOUND},
     *         {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}, {@link ErrorCode#CONFLICT} when the
     *         repository has the tag already
     */
    @Transactional
    public Artifact.Tag createTag(Caller caller, RepositoryName name, String reference, @Nullable String tag) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.PUSH);
        ArtifactRow artifact = resolve(target, reference);
        if (tag == null || !Reference.isTag(tag)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid tag name: " + tag);
        }
        if (!tags.create(target.repositoryId(), tag, artifact.manifest().id())) {
            throw new PlatformException(ErrorCode.CONFLICT, "tag " + tag + " already exists in " + name);
        }
        events.publishEvent(new TagCreated(caller.name(), caller.remoteAddr(), clock.instant(), name, tag,
            artifact.manifest().digest()));
        return ArtifactViews.tag(tags.find(target.repositoryId(), tag).orElseThrow());
    }

    /**
     * Deletes tag {@code tag} of the artifact {@code reference} through the registry's delete by tag
     * (the artifact stays); needs delete.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} also when the tag names another artifact,
     *         {@link ErrorCode#UNAUTHORIZED}, {@link ErrorCode#DENIED}, {@link ErrorCode#UNSUPPORTED} when deletes are disabled
     */
    @Transactional
    public void deleteTag(Caller caller, RepositoryName name, String reference, String tag) {
        RepositoryAccess.Target target = access.repository(caller, name, Role.Capability.DELETE);
        ArtifactRow artifact = resolve(target, reference);
        tags.find(target.repositoryId(), tag).filter(t -> t.manifestId() == artifact.manifest().id())
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "artifact " + reference + " has no tag " + tag));
        registry.deleteManifest(caller, name, new Reference(tag, null));
    }

    /**
     * The annotation with which a manifest copied under a new digest (an index that replication cut
     * down to some platforms) records the digest of its source; the API finds the copy by either
     * digest. ({@code /v2} serves a digest's own bytes only, as clients verify them.)
     */
    public static final String SOURCE_DIGEST = "io.wharf.replication.source-digest";

    private ArtifactRow resolve(RepositoryAccess.Target target, String reference) {
        Optional<ArtifactRow> row;
        if (Digest.isDigest(reference)) {
            Digest digest = digest(reference);
            row = manifests.row(target.repositoryId(), digest)
                .or(() -> manifests.rowAnnotated(target.repositoryId(), SOURCE_DIGEST, digest.toString()));
        } else {
            row = tags.resolve(target.repositoryId(), reference).map(ManifestInfo::digest)
                .flatMap(d -> manifests.row(target.repositoryId(), d));
        }
        return row.orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND,
            "artifact " + target.name() + (Digest.isDigest(reference) ? "@" : ":") + reference + " not found"));
    }

    /** Harbor's {@code tags} criterion: exact or fuzzy only; Harbor answers 400 for its lists too. */
    private static TagFilter tagFilter(HarborQuery.@Nullable Criterion tags) {
        if (tags == null) {
            return TagFilter.ANY;
        }
        if (tags.form() != HarborQuery.Criterion.Form.EXACT && !tags.fuzzy()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "tags takes tags=v, tags=~v, tags=* or tags=nil, no list");
        }
        if (!tags.fuzzy() && tags.value().equals("*")) {
            return TagFilter.TAGGED;
        }
        if (!tags.fuzzy() && tags.value().equals("nil")) {
            return TagFilter.UNTAGGED;
        }
        return TagFilter.matching(tags.match().pattern());
    }

    /** Harbor's {@code digest} criterion: every value but a fuzzy fragment must be a digest. */
    private static TextMatch digests(HarborQuery.@Nullable Criterion criterion) {
        if (criterion == null) {
            return TextMatch.ANY;
        }
        if (!criterion.fuzzy()) {
            criterion.values().forEach(ArtifactService::digest);
        }
        return criterion.match();
    }

    private static Digest digest(String value) {
        try {
            return Digest.parse(value);
        } catch (PlatformException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "invalid digest: " + value);
        }
    }

    private static RepositoryName name(String value) {
        try {
            return RepositoryName.of(value);
        } catch (PlatformException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }
}
