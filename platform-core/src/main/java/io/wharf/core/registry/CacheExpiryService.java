package io.wharf.core.registry;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.IdleManifest;
import io.wharf.core.registry.metadata.ManifestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Expiry of proxy-cache projects (docs/proxy.md, "Expiry"): deletes, with their tags, the cached
 * manifests nobody pulled since a cutoff (a manifest never pulled counts from when it was stored),
 * never one that something keeps: a child of an index of its repository, or the subject of a referrer
 * of its repository. Projects without a registry endpoint are never touched.
 *
 * <p>Each manifest is deleted in a transaction of its own through
 * {@link RegistryService#expireManifest}, whose single conditional {@code DELETE} checks the
 * conditions again: a pull recorded between the selection and the delete keeps the manifest. (Pulls
 * are recorded in batches, {@code wharf.registry.pull-flush-interval} after they are served; a pull
 * served within that interval before the delete may still lose the manifest, which the next pull
 * fetches again from the upstream.)
 *
 * <p>An index and its children, a referrer and its subject: once the index (referrer) is deleted,
 * its children (subject) that are idle too and that nothing else keeps are deleted in the same run,
 * which goes over the candidates again as long as the previous pass deleted anything.
 *
 * <p>Blobs are not deleted, nor unlinked from the repository: garbage collection (docs/gc.md) frees
 * those no manifest references any more. The bytes of a blob another manifest shares are therefore never
 * lost. The same sweep serves garbage collection's {@code delete_untagged} ({@link #collectUntagged}).
 */
@Service
public class CacheExpiryService {

    private static final Logger log = LoggerFactory.getLogger(CacheExpiryService.class);
    private static final int BATCH = 500;

    private final ManifestStore manifests;
    private final RegistryService registry;

    CacheExpiryService(ManifestStore manifests, RegistryService registry) {
        this.manifests = manifests;
        this.registry = registry;
    }

    /** A manifest that was expired (or collected). */
    public record Expired(RepositoryName repository, Digest digest) {
    }

    /**
     * Expires every cached manifest of every proxy-cache project idle since before {@code cutoff} that
     * nothing keeps, as the system caller.
     *
     * @return what was deleted, in the order it was
     */
    public List<Expired> expire(Instant cutoff) {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        Caller system = Caller.of(Principal.system("cache-expiry"), null);
        return sweep((after, limit) -> manifests.idleCached(before, after, limit),
            idle -> registry.expireManifest(system, idle.repository(), idle.digest(), before));
    }

    /**
     * Garbage collection's {@code delete_untagged} (docs/gc.md), by the same sweep: deletes, through
     * {@link RegistryService#collectManifest}, every manifest of every repository that has no tag, was
     * last marked (pushed, tagged, listed by an index pushed) before {@code cutoff}, and that no index
     * lists as a child, no referrer names as its subject, and that is no referrer of a manifest its
     * repository has (signatures and SBOMs stay with their image); what a deleted index or referrer kept goes
     * in the same run when nothing else keeps it.
     *
     * @return what was deleted, in the order it was
     */
    public List<Expired> collectUntagged(Instant cutoff) {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        Caller system = Caller.of(Principal.system("gc"), null);
        return sweep((after, limit) -> manifests.untagged(before, after, limit),
            candidate -> registry.collectManifest(system, candidate.repository(), candidate.digest(), before));
    }

    /** Candidates after an id, at most a limit, in id order. */
    private interface Candidates {
        List<IdleManifest> after(long afterId, int limit);
    }

    /** The conditional delete of one candidate: whether it was deleted. */
    private interface ConditionalDelete {
        boolean delete(IdleManifest candidate);
    }

    private static List<Expired> sweep(Candidates candidates, ConditionalDelete delete) {
        List<Expired> expired = new ArrayList<>();
        int deleted;
        do {
            deleted = 0;
            long after = 0;
            List<IdleManifest> batch;
            do {
                batch = candidates.after(after, BATCH);
                for (IdleManifest candidate : batch) {
                    if (delete.delete(candidate)) {
                        expired.add(new Expired(candidate.repository(), candidate.digest()));
                        deleted++;
                    } else {
                        log.debug("{}@{} was used or referenced meanwhile: kept", candidate.repository(), candidate.digest());
                    }
                    after = candidate.id();
                }
            } while (batch.size() == BATCH);
        } while (deleted > 0); // what the deleted indexes and referrers kept may be deletable too
        return expired;
    }
}
