package io.wharf.core.gc;

import io.wharf.core.registry.CacheExpiryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.metadata.LinkedBlobStore;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.registry.metadata.UnreferencedBlobs;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.storage.BlobStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The collector itself (docs/gc.md): untagged manifests (when asked), then the links no manifest of
 * their repository refers to, then the blobs nothing links and no manifest is, then store objects
 * without a row. Everything it deletes was marked before the cutoff and is re-checked by the deleting
 * statement or under the row's lock, so pushes, pulls, mounts and copies go on meanwhile.
 *
 * <p>{@link #unlinkUnreferenced} is the per-repository step, public for quotas: a project's usage is
 * the blobs linked into its repositories, and after a manifest is deleted and this runs, the links only
 * that manifest needed are gone.
 */
@Component
public class GarbageCollector {

    private static final int REPOSITORY_BATCH = 500;

    private final CacheExpiryService manifests;
    private final LinkedBlobStore links;
    private final RepositoryStore repositories;
    private final UnreferencedBlobs unreferenced;
    private final BlobStore blobs;
    private final GcRunStore runs;
    private final GcProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    GarbageCollector(CacheExpiryService manifests, LinkedBlobStore links, RepositoryStore repositories,
                     UnreferencedBlobs unreferenced, BlobStore blobs, GcRunStore runs, GcProperties properties,
                     PlatformTransactionManager transactions, Clock clock) {
        this.clock = clock;
        this.manifests = manifests;
        this.links = links;
        this.repositories = repositories;
        this.unreferenced = unreferenced;
        this.blobs = blobs;
        this.runs = runs;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactions);
    }

    /**
     * Removes the links of {@code repository} that no manifest of it refers to (as config or layer) and
     * that no push, upload, mount or copy marked since {@code markedBefore}. The blobs stay until the
     * collector's blob step finds them linked nowhere.
     *
     * @return how many links were removed (0 for an unknown repository)
     */
    public int unlinkUnreferenced(RepositoryName repository, Instant markedBefore) {
        return repositories.find(repository)
            .map(id -> links.unlinkUnreferenced(id, OffsetDateTime.ofInstant(markedBefore, ZoneOffset.UTC)))
            .orElse(0);
    }

    /**
     * One collection with everything marked before {@code cutoff} eligible. A dry run runs the same
     * statements in one transaction that is rolled back, and deletes no byte: its counts are what a
     * real run would free at that moment.
     *
     * @param progress told of the counts after each step
     */
    GcCounts collect(GcParameters parameters, Instant cutoff, GcLog log, Consumer<GcCounts> progress) {
        if (!parameters.dryRun()) {
            return steps(parameters, cutoff, log, progress);
        }
        GcCounts[] counts = new GcCounts[1];
        transactions.executeWithoutResult(status -> {
            counts[0] = steps(parameters, cutoff, log, progress);
            status.setRollbackOnly();
        });
        return counts[0];
    }

    private GcCounts steps(GcParameters parameters, Instant cutoff, GcLog log, Consumer<GcCounts> progress) {
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        GcCounts counts = GcCounts.NONE;
        if (parameters.deleteUntagged()) {
            List<CacheExpiryService.Expired> deleted = manifests.collectUntagged(cutoff);
            deleted.forEach(m -> log.line("untagged manifest " + m.repository() + "@" + m.digest()
                + (parameters.dryRun() ? " would be deleted" : " deleted")));
            counts = counts.plus(new GcCounts(deleted.size(), 0, 0, 0, 0));
            progress.accept(counts);
        }
        long unlinked = 0;
        long after = 0;
        List<Long> ids;
        do {
            ids = links.linkingRepositories(after, REPOSITORY_BATCH);
            for (long id : ids) {
                unlinked += links.unlinkUnreferenced(id, before);
                after = id;
            }
        } while (ids.size() == REPOSITORY_BATCH);
        log.line(unlinked + " blob links no manifest refers to " + (parameters.dryRun() ? "would be removed" : "removed"));
        counts = counts.plus(new GcCounts(0, unlinked, 0, 0, 0));
        progress.accept(counts);

        GcCounts freed = parameters.dryRun() ? sweepBlobs(before, parameters, log) : sweepBlobsInParallel(before, parameters, log);
        counts = counts.plus(freed);
        log.line(freed.blobs() + " blobs (" + freed.freedBytes() + " bytes) " + (parameters.dryRun() ? "would be deleted" : "deleted"));
        progress.accept(counts);

        GcCounts stray = sweepStrayObjects(before, parameters, log);
        counts = counts.plus(stray);
        log.line(stray.objects() + " store objects without a row (" + stray.freedBytes() + " bytes) "
            + (parameters.dryRun() ? "would be deleted" : "deleted"));
        progress.accept(counts);
        return counts;
    }

    private GcCounts sweepBlobsInParallel(OffsetDateTime before, GcParameters parameters, GcLog log) {
        if (parameters.workers() == 1) {
            return sweepBlobs(before, parameters, log);
        }
        ExecutorService workers = Executors.newFixedThreadPool(parameters.workers());
        try {
            List<Future<GcCounts>> results = new ArrayList<>();
            for (int i = 0; i < parameters.workers(); i++) {
                results.add(workers.submit(() -> sweepBlobs(before, parameters, log)));
            }
            GcCounts total = GcCounts.NONE;
            for (Future<GcCounts> result : results) {
                total = total.plus(result.get());
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * Deletes unreferenced blobs batch by batch, each batch in a transaction of its own (the dry run's,
     * when there is one) that holds the rows locked while the bytes go (one multi-object delete) and
     * then the rows. Workers and other nodes skip the rows another holds.
     */
    private GcCounts sweepBlobs(OffsetDateTime before, GcParameters parameters, GcLog log) {
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        boolean more;
        do {
            more = Boolean.TRUE.equals(transactions.execute(status -> {
                List<BlobInfo> batch = unreferenced.lock(before, properties.batchSize());
                if (batch.isEmpty()) {
                    return false;
                }
                List<Digest> digests = batch.stream().map(BlobInfo::digest).toList();
                if (!parameters.dryRun()) {
                    blobs.deleteBytes(digests);
                }
                unreferenced.delete(digests);
                batch.forEach(b -> log.line("blob " + b.digest() + " (" + b.size() + " bytes)"
                    + (parameters.dryRun() ? " would be deleted" : " deleted")));
                count.addAndGet(batch.size());
                bytes.addAndGet(batch.stream().mapToLong(BlobInfo::size).sum());
                return true;
            }));
        } while (more);
        return new GcCounts(0, 0, count.get(), 0, bytes.get());
    }

    /**
     * Objects under {@code blobs/} without a row and temporaries under {@code ingest/}: each is recorded
     * when first seen; one first seen before the cutoff and still without a row is deleted with its
     * record locked ({@link BlobStore#deleteStray}: no writer is then between its bytes and its row).
     */
    private GcCounts sweepStrayObjects(OffsetDateTime before, GcParameters parameters, GcLog log) {
        List<BlobStore.StrayObject> stray = blobs.strayObjects(Integer.MAX_VALUE);
        Map<String, OffsetDateTime> seen = runs.orphansSeen(stray.stream().map(BlobStore.StrayObject::path).toList());
        List<BlobStore.StrayObject> due = stray.stream().filter(s -> seen.containsKey(s.path()) && seen.get(s.path()).isBefore(before))
            .toList();
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < due.size(); i += properties.batchSize()) {
            deleted.addAll(blobs.deleteStray(due.subList(i, Math.min(due.size(), i + properties.batchSize()))
                .stream().map(BlobStore.StrayObject::path).toList(), parameters.dryRun()));
        }
        long bytes = due.stream().filter(s -> deleted.contains(s.path())).mapToLong(BlobStore.StrayObject::size).sum();
        deleted.forEach(p -> log.line("store object " + p + (parameters.dryRun() ? " would be deleted" : " deleted")));
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<String> remaining = new ArrayList<>();
        for (BlobStore.StrayObject s : stray) {
            if (!deleted.contains(s.path()) || parameters.dryRun()) {
                remaining.add(s.path());
                if (!seen.containsKey(s.path())) {
                    runs.orphanSeen(s.path(), s.size(), now);
                }
            }
        }
        if (!parameters.dryRun()) {
            runs.forgetOrphansBut(remaining);
        }
        return new GcCounts(0, 0, 0, deleted.size(), bytes);
    }
}
