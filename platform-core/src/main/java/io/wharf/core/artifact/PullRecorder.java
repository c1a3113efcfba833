package io.wharf.core.artifact;

import io.wharf.core.registry.ArtifactPulled;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.PullStore;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records pull counts and last pull times from {@link ArtifactPulled} without touching the pull's
 * own transaction: events are queued and written in batches by a background flush every
 * {@code wharf.registry.pull-flush-interval} (default one second) and at shutdown, one transaction
 * per batch, pulls of the same manifest and tag merged into one increment. The writes are increments
 * and forward-only times in SQL ({@link PullStore}), in a fixed order, so several nodes flushing at
 * once neither lose counts nor deadlock. When the queue is full, a pull is written at once instead of
 * being dropped; a failed write is logged and its counts are lost.
 */
@Component
public class PullRecorder {

    private static final Logger log = LoggerFactory.getLogger(PullRecorder.class);
    private static final int QUEUE_CAPACITY = 50_000;
    private static final int BATCH = 1_000;

    /** What one merged write updates. */
    private record Key(String repository, String digest, String tag) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparing(Key::repository).thenComparing(Key::digest)
            .thenComparing(Key::tag);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** The merged pulls of one key. */
    private static final class Count {
        long pulls;
        Instant last = Instant.EPOCH;
    }

    private final PullStore store;
    private final TransactionTemplate newTransaction;
    private final BlockingQueue<ArtifactPulled> pending = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

    PullRecorder(PullStore store, PlatformTransactionManager transactions) {
        this.store = store;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Queues the pull for the next flush (or writes it at once when the queue is full). */
    @EventListener
    public void on(ArtifactPulled pulled) {
        if (!pending.offer(pulled)) {
            write(List.of(pulled));
        }
    }

    /** Writes every queued pull now; returns how many pulls were written. Runs on a schedule and at shutdown. */
    @Scheduled(fixedDelayString = "${wharf.registry.pull-flush-interval:1s}")
    @PreDestroy
    public int flush() {
        int written = 0;
        List<ArtifactPulled> batch = new ArrayList<>(BATCH);
        while (pending.drainTo(batch, BATCH) > 0) {
            write(batch);
            written += batch.size();
            batch.clear();
        }
        return written;
    }

    private void write(List<ArtifactPulled> pulls) {
        Map<Key, Count> merged = new TreeMap<>();
        for (ArtifactPulled pull : pulls) {
            String tag = Digest.isDigest(pull.reference()) ? "" : pull.reference();
            Count count = merged.computeIfAbsent(new Key(pull.repository().value(), pull.digest().toString(), tag), k -> new Count());
            count.pulls++;
            if (pull.occurredAt().isAfter(count.last)) {
                count.last = pull.occurredAt();
            }
        }
        try {
            newTransaction.executeWithoutResult(status -> merged.forEach((key, count) ->
                store.record(new RepositoryName(key.repository()), Digest.parse(key.digest()), tagOrNull(key.tag()), count.pulls,
                    OffsetDateTime.ofInstant(count.last, ZoneOffset.UTC))));
        } catch (RuntimeException e) {
            log.warn("Could not record {} pulls (first: {}): {}", pulls.size(), pulls.get(0), e.toString());
        }
    }

    private static @Nullable String tagOrNull(String tag) {
        return tag.isEmpty() ? null : tag;
    }
}
