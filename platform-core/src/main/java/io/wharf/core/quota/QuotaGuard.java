package io.wharf.core.quota;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.registry.ProjectRepositories;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Enforces project storage limits on every write path of the registry (uploads, mounts, server-side
 * copies, manifests). The decisive check is {@link #charge}: in one transaction it locks the project's
 * quota row, computes the usage from the links, refuses when the new digest does not fit and otherwise
 * runs the write that links it, so concurrent pushes on any node cannot together exceed the limit. The
 * checks before ({@link #room}, {@link #precheck}) only refuse early, before bytes are received or
 * downloaded. A digest the project already holds costs nothing. Projects without a limit take no lock.
 *
 * <p>A refusal is {@link ErrorCode#QUOTA_EXCEEDED} (OCI {@code DENIED}, 403) with a message naming the
 * quota, and a {@link QuotaExceeded} event in a transaction of its own; a push that crosses
 * {@code wharf.quota.warning-percent} publishes {@link QuotaWarned} in its own transaction.
 */
@Component
public class QuotaGuard {

    private final QuotaTable table;
    private final ProjectRepositories usage;
    private final QuotaProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate ownTransaction;

    QuotaGuard(QuotaTable table, ProjectRepositories usage, QuotaProperties properties, ApplicationEventPublisher events,
               Clock clock, PlatformTransactionManager transactions) {
        this.table = table;
        this.usage = usage;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A project's limit and usage, read without a lock. */
    public record Budget(long hard, long used) {

        /** The bytes the project may still take (negative when a lowered limit is below the usage). */
        public long room() {
            return hard - used;
        }
    }

    /** The limit and usage of {@code repository}'s project; empty when it has no limit. Reads without a lock. */
    public Optional<Budget> budget(RepositoryName repository) {
        return table.limit(repository.project()).filter(limit -> limit.hard() != Quota.UNLIMITED)
            .map(limit -> new Budget(limit.hard(), used(repository.project())));
    }

    /** The bytes {@code repository}'s project may still take; empty when it has no limit. */
    public OptionalLong room(RepositoryName repository) {
        return budget(repository).map(b -> OptionalLong.of(b.room())).orElse(OptionalLong.empty());
    }

    /** Whether {@code repository}'s project holds {@code digest}, so that linking it costs nothing. */
    public boolean holds(RepositoryName repository, Digest digest) {
        return usage.holds(repository.project(), digest);
    }

    /**
     * Refuses a push of {@code needed} new bytes into {@code repository} (publishing {@link QuotaExceeded}):
     * for an upload whose bytes are refused before they are received.
     *
     * @param digest the digest, or null when not known yet
     * @param what   what is refused, for the message ({@code this upload}, {@code this blob})
     * @return the exception to throw
     */
    public PlatformException refuse(Caller caller, RepositoryName repository, @Nullable Digest digest, Budget budget,
                                    long needed, String what) {
        String message = "quota exceeded: project '" + repository.project() + "' uses " + budget.used() + " of "
            + budget.hard() + " bytes, " + what + " needs " + needed + " more";
        ownTransaction.executeWithoutResult(status -> events.publishEvent(new QuotaExceeded(caller.name(), caller.remoteAddr(),
            clock.instant(), repository, digest == null ? null : digest.toString(), budget.used(), budget.hard(), needed, message)));
        return new PlatformException(ErrorCode.QUOTA_EXCEEDED, message);
    }

    /**
     * Refuses, before anything is stored, a blob of {@code size} bytes that {@code repository}'s project
     * does not hold and that would not fit: the early check of a server-side copy, which is checked again
     * by {@link #charge} when it is linked.
     *
     * @throws PlatformException {@link ErrorCode#QUOTA_EXCEEDED}
     */
    public void precheck(Caller caller, RepositoryName repository, Digest digest, long size) {
        Optional<Budget> budget = budget(repository);
        if (budget.isPresent() && size > budget.get().room() && !usage.holds(repository.project(), digest)) {
            throw refuse(caller, repository, digest, budget.get(), size, "this blob");
        }
    }

    /**
     * Runs {@code write}, which makes {@code digest} ({@code size} bytes) part of {@code repository}'s
     * project, when it fits: with the project's quota row locked, in the caller's transaction or a new
     * one, so that no concurrent push is checked against a usage this one is about to change. Without a
     * limit, {@code write} just runs.
     *
     * @param what what is pushed, for the message ({@code this blob}, {@code this manifest})
     * @throws PlatformException {@link ErrorCode#QUOTA_EXCEEDED} when it does not fit; {@code write} has not run
     */
    public <T> T charge(Caller caller, RepositoryName repository, Digest digest, long size, String what, Supplier<T> write) {
        return charge(caller, repository, Map.of(digest, size), what, write);
    }

    /**
     * As {@link #charge(Caller, RepositoryName, Digest, long, String, Supplier)} for several digests at once
     * (the blobs and manifests of a copied artifact), each with its size; those the project holds cost nothing.
     */
    public <T> T charge(Caller caller, RepositoryName repository, Map<Digest, Long> sizes, String what, Supplier<T> write) {
        Optional<QuotaTable.Limit> limit = table.limit(repository.project()).filter(l -> l.hard() != Quota.UNLIMITED);
        if (limit.isEmpty() || sizes.isEmpty()) {
            return write.get();
        }
        Budget[] refused = new Budget[1];
        long[] needed = new long[1];
        T result = transaction.execute(status -> {
            OptionalLong hard = table.lockLimit(limit.get().projectId());
            if (hard.isEmpty() || hard.getAsLong() == Quota.UNLIMITED) {
                return write.get();
            }
            long used = used(repository.project());
            needed[0] = sizes.entrySet().stream().filter(e -> !usage.holds(repository.project(), e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
            if (used + needed[0] > hard.getAsLong()) {
                refused[0] = new Budget(hard.getAsLong(), used);
                status.setRollbackOnly();
                return null;
            }
            T written = write.get();
            warnIfCrossed(caller, repository, sizes.keySet().iterator().next(), used, used + needed[0], hard.getAsLong());
            return written;
        });
        if (refused[0] != null) {
            throw refuse(caller, repository, sizes.size() == 1 ? sizes.keySet().iterator().next() : null, refused[0], needed[0], what);
        }
        return result;
    }

    private void warnIfCrossed(Caller caller, RepositoryName repository, Digest digest, long before, long after, long hard) {
        int percent = properties.warningPercent();
        if (reached(before, hard, percent) || !reached(after, hard, percent)) {
            return;
        }
        long share = BigInteger.valueOf(after).multiply(BigInteger.valueOf(100)).divide(BigInteger.valueOf(hard)).longValue();
        String message = "quota warning: project '" + repository.project() + "' uses " + after + " of " + hard
            + " bytes (" + share + " %), at or above the warning level of " + percent + " %";
        events.publishEvent(new QuotaWarned(caller.name(), caller.remoteAddr(), clock.instant(), repository, digest.toString(),
            after, hard, percent, message));
    }

    /** Whether {@code used} is at least {@code percent} % of {@code hard}, exactly (no overflow). */
    static boolean reached(long used, long hard, int percent) {
        return BigInteger.valueOf(used).multiply(BigInteger.valueOf(100))
            .compareTo(BigInteger.valueOf(hard).multiply(BigInteger.valueOf(percent))) >= 0;
    }

    private long used(String project) {
        return usage.storage(false, List.of(project));
    }
}
