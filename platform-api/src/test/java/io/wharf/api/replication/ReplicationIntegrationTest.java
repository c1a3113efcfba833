package io.wharf.api.replication;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.replication.upstream.Pause;
import io.wharf.testkit.MutableClock;
import io.wharf.testkit.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the replication integration tests that run executions. Time is {@link #CLOCK}, which
 * waiting moves instead of sleeping; tests wait for {@link Finished} signals, never for time. A
 * subclass imports {@link Beans}. Also the API calls these tests all make.
 */
abstract class ReplicationIntegrationTest extends AccountsIntegrationTest {

    /** The clock of the contexts (and of any emulator they talk to). */
    static final MutableClock CLOCK = new MutableClock();

    /** When set, the next pause signals {@link #PAUSED} and blocks until {@link #holdPause} opens (to act while an execution waits). */
    static final AtomicBoolean HOLD = new AtomicBoolean();
    static final CountDownLatch PAUSED = new CountDownLatch(1);
    static volatile CountDownLatch holdPause;

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return CLOCK;
        }

        /** Waiting moves the shared clock (an emulator's rate-limit window passes with it). */
        @Bean
        @Primary
        Pause movingPause() {
            return instant -> {
                if (HOLD.getAndSet(false)) {
                    PAUSED.countDown();
                    holdPause.await(30, TimeUnit.SECONDS);
                }
                synchronized (CLOCK) {
                    if (CLOCK.instant().isBefore(instant)) {
                        CLOCK.set(instant);
                    }
                }
            };
        }

        @Bean
        Finished finished() {
            return new Finished();
        }
    }

    /** Every {@link ReplicationFinished} once its end is committed, by execution and by policy. */
    static class Finished {

        private static final long TIMEOUT_SECONDS = 60;

        private final Map<Long, CompletableFuture<ReplicationFinished>> byExecution = new ConcurrentHashMap<>();
        private final Map<Long, BlockingQueue<ReplicationFinished>> byPolicy = new ConcurrentHashMap<>();

        @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
        void on(ReplicationFinished finished) {
            execution(finished.executionId()).complete(finished);
            policy(finished.policyId()).add(finished);
        }

        /** Forgets how execution {@code executionId} ended, to wait for its next end (after a retry). */
        void forget(long executionId) {
            byExecution.remove(executionId);
        }

        /** Waits for execution {@code executionId} to end. */
        ReplicationFinished await(long executionId) throws Exception {
            return execution(executionId).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        /** Waits for the next execution of {@code policyId} to end, in the order they end (for executions an event started). */
        ReplicationFinished next(long policyId) throws InterruptedException {
            ReplicationFinished finished = policy(policyId).poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (finished == null) {
                throw new AssertionError("no execution of policy " + policyId + " ended within " + TIMEOUT_SECONDS + " s");
            }
            return finished;
        }

        private CompletableFuture<ReplicationFinished> execution(long id) {
            return byExecution.computeIfAbsent(id, key -> new CompletableFuture<>());
        }

        private BlockingQueue<ReplicationFinished> policy(long id) {
            return byPolicy.computeIfAbsent(id, key -> new LinkedBlockingQueue<>());
        }
    }

    @Autowired
    Finished finished;

    /** Creates a policy (as admin); returns its id. */
    long createPolicy(Map<String, Object> body) {
        Response created = http.as(ADMIN).post("/api/v2.0/replication/policies", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    /** Starts a manual execution of {@code policy}; returns its id. */
    long start(long policy) {
        Response started = http.as(ADMIN).post("/api/v2.0/replication/executions", Map.of("policy_id", policy));
        assertThat(started.status()).as("%s", started).isEqualTo(201);
        return idFromLocation(started);
    }

    /** Runs {@code policy} now and waits for the end; returns the execution as the API shows it. */
    JsonNode run(long policy) throws Exception {
        long execution = start(policy);
        finished.await(execution);
        return execution(execution);
    }

    JsonNode execution(long id) {
        return http.as(ADMIN).get("/api/v2.0/replication/executions/" + id).json();
    }

    List<JsonNode> tasks(long execution) {
        return http.as(ADMIN).get("/api/v2.0/replication/executions/" + execution + "/tasks?page_size=100").json()
            .valueStream().toList();
    }

    String log(long execution, long task) {
        return http.as(ADMIN).get("/api/v2.0/replication/executions/" + execution + "/tasks/" + task + "/log").text();
    }

    /** A manual pull policy from {@code registry} into the local {@code project}; the caller may add to it. */
    static Map<String, Object> pullPolicy(long registry, String project, int replaceCount, List<Map<String, Object>> filters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("pull"));
        body.put("src_registry", Map.of("id", registry));
        body.put("dest_namespace", project);
        body.put("dest_namespace_replace_count", replaceCount);
        body.put("trigger", Map.of("type", "manual"));
        body.put("filters", filters);
        return body;
    }

    static Map<String, Object> name(String pattern) {
        return Map.of("type", "name", "value", pattern);
    }

    static Map<String, Object> tag(String pattern) {
        return Map.of("type", "tag", "value", pattern);
    }
}
