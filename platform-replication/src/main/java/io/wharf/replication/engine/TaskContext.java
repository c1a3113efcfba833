package io.wharf.replication.engine;

import io.wharf.replication.execution.ExecutionStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a copy may ask of its execution: log a line to its task, check whether it must stop (polled
 * from the database at most every 500 ms, so a stop on any node takes effect here quickly) or has run
 * out of time, and wrap a blob stream so that it stops mid-transfer and keeps to the bandwidth limit.
 */
final class TaskContext {

    private static final Logger log = LoggerFactory.getLogger(TaskContext.class);
    private static final long POLL_NANOS = 500_000_000L;

    private final long executionId;
    private final ExecutionStore store;
    private final AtomicLong lastPoll = new AtomicLong(System.nanoTime() - POLL_NANOS);
    private volatile boolean stopped;
    private final long taskId;
    private final Clock clock;
    private volatile @Nullable Instant deadline;
    private final Throttle throttle;

    /** The context of execution {@code executionId} while it is planned (logging to the application log). */
    TaskContext(long executionId, ExecutionStore store, Clock clock, Throttle throttle) {
        this(executionId, -1, store, clock, null, throttle);
    }

    private TaskContext(long executionId, long taskId, ExecutionStore store, Clock clock, @Nullable Instant deadline,
                        Throttle throttle) {
        this.executionId = executionId;
        this.taskId = taskId;
        this.store = store;
        this.clock = clock;
        this.deadline = deadline;
        this.throttle = throttle;
    }

    /** The same execution, logging to task {@code id}, whose attempt must end within {@code timeout}. */
    TaskContext forTask(long id, Duration timeout) {
        TaskContext context = new TaskContext(executionId, id, store, clock, clock.instant().plus(timeout), throttle);
        context.stopped = stopped;
        return context;
    }

    long executionId() {
        return executionId;
    }

    /** Appends a line to the task's log (for planning, to the application log). */
    void log(String line) {
        if (taskId < 0) {
            log.info("execution {}: {}", executionId, line);
        } else {
            store.log(taskId, line);
        }
    }

    /** Whether a stop was asked (checked in the database at most every 500 ms). */
    boolean stopRequested() {
        long now = System.nanoTime();
        long last = lastPoll.get();
        if (!stopped && now - last >= POLL_NANOS && lastPoll.compareAndSet(last, now)) {
            stopped = store.stopRequested(executionId);
        }
        return stopped;
    }

    /** Moves the attempt's deadline by {@code waited}: time spent waiting for an upstream's rate limit does not count. */
    void waited(Duration waited) {
        Instant current = deadline;
        if (current != null) {
            deadline = current.plus(waited);
        }
    }

    /** Whether a stop was asked, asking the database now (for loops that wait between their checks anyway). */
    boolean stopRequestedNow() {
        lastPoll.set(System.nanoTime());
        if (!stopped) {
            stopped = store.stopRequested(executionId);
        }
        return stopped;
    }

    /**
     * @throws StoppedException    when a stop was asked
     * @throws TaskTimedOutException when the task's attempt has run out of time
     */
    void checkStop() {
        if (stopRequested()) {
            throw new StoppedException();
        }
        if (deadline != null && clock.instant().isAfter(deadline)) {
            throw new TaskTimedOutException();
        }
    }

    /**
     * {@code in}, failing at the next read after a stop was asked or the attempt timed out, and held
     * to the policy's bandwidth limit.
     */
    InputStream stoppable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                checkStop();
                int b = super.read();
                took(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                checkStop();
                int n = super.read(b, off, len);
                took(n);
                return n;
            }
        };
    }

    private void took(int n) throws IOException {
        if (n > 0 && throttle.limits()) {
            try {
                throttle.took(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while limiting bandwidth");
            }
        }
    }
}
