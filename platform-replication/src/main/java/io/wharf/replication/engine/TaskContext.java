package io.wharf.replication.engine;

import io.wharf.replication.execution.ExecutionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a copy may ask of its execution: log a line to its task, check whether it must stop (polled
 * from the database at most every 500 ms, so a stop on any node takes effect here quickly), and
 * wrap a blob stream so that it stops mid-transfer.
 */
final class TaskContext {

    private static final Logger log = LoggerFactory.getLogger(TaskContext.class);
    private static final long POLL_NANOS = 500_000_000L;

    private final long executionId;
    private final ExecutionStore store;
    private final AtomicLong lastPoll = new AtomicLong(System.nanoTime() - POLL_NANOS);
    private volatile boolean stopped;
    private final long taskId;

    TaskContext(long executionId, long taskId, ExecutionStore store) {
        this.executionId = executionId;
        this.taskId = taskId;
        this.store = store;
    }

    /** The same execution, logging to task {@code id}. */
    TaskContext forTask(long id) {
        TaskContext context = new TaskContext(executionId, id, store);
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

    /** Whether a stop was asked, asking the database now (for loops that wait between their checks anyway). */
    boolean stopRequestedNow() {
        lastPoll.set(System.nanoTime());
        if (!stopped) {
            stopped = store.stopRequested(executionId);
        }
        return stopped;
    }

    /** @throws StoppedException when a stop was asked */
    void checkStop() {
        if (stopRequested()) {
            throw new StoppedException();
        }
    }

    /** {@code in}, failing with {@link StoppedException} at the next read after a stop was asked. */
    InputStream stoppable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                checkStop();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                checkStop();
                return super.read(b, off, len);
            }
        };
    }
}
