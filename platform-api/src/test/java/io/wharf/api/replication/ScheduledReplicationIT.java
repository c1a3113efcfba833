package io.wharf.api.replication;

import io.wharf.api.WharfNodes;
import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduled policy on two nodes sharing one database: Quartz's clustered job store fires its cron
 * trigger on one node at a time, so each fire makes exactly one execution; disabling the policy
 * removes the trigger. The test waits for executions to finish (events from both nodes), never for
 * time itself.
 */
class ScheduledReplicationIT {

    static final String ADMIN_PASSWORD = "Admin12345";
    static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);

    @Test
    void eachCronFireRunsOnceAcrossTwoNodes() throws Exception {
        try (DockerHubEmulator hub = new DockerHubEmulator(Clock.systemUTC());
             WharfNodes nodes = WharfNodes.start(2, "--wharf.admin-password=" + ADMIN_PASSWORD,
                 "--wharf.replication.docker-hub-api-url=" + hub.hubApiUrl())) {
            String digest = hub.push("acme/cron", "1", TestImage.random(TestImage.Format.OCI,
                TestImage.Platform.of("linux", "amd64"), 7, 256));
            CountDownLatch three = new CountDownLatch(3);
            Map<Long, Integer> ranOn = new ConcurrentHashMap<>();
            for (int i = 0; i < 2; i++) {
                int node = i;
                nodes.node(i).addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) event -> {
                    if (event.getPayload() instanceof ReplicationFinished finished) {
                        if (ranOn.putIfAbsent(finished.executionId(), node) == null) {
                            three.countDown();
                        }
                    }
                });
            }
            RegistryClient first = RegistryClient.forPort(nodes.port(0)).as(ADMIN);
            RegistryClient second = RegistryClient.forPort(nodes.port(1)).as(ADMIN);
            assertThat(first.post("/api/v2.0/projects", Map.of("project_name", "cron", "metadata", Map.of("public", "false")))
                .status()).isEqualTo(201);
            Response registry = first.post("/api/v2.0/registries",
                ReplicationApiIT.registry("hub", "docker-hub", hub.registryUrl().toString(), "", ""));
            assertThat(registry.status()).as("%s", registry).isEqualTo(201);
            long registryId = id(registry);
            Response policy = first.post("/api/v2.0/replication/policies", Map.of("name", "every-two-seconds",
                "src_registry", Map.of("id", registryId), "dest_namespace", "cron", "dest_namespace_replace_count", 1,
                "filters", List.of(Map.of("type", "name", "value", "acme/cron")),
                "trigger", Map.of("type", "scheduled", "trigger_settings", Map.of("cron", "*/2 * * * * *"))));
            assertThat(policy.status()).as("%s", policy).isEqualTo(201);
            long policyId = id(policy);

            assertThat(three.await(60, TimeUnit.SECONDS)).as("three scheduled runs finished").isTrue();
            Response disabled = second.put("/api/v2.0/replication/policies/" + policyId, Map.of("enabled", false));
            assertThat(disabled.status()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                Scheduler scheduler = nodes.node(i).getBean(Scheduler.class);
                assertThat(scheduler.getTrigger(TriggerKey.triggerKey("policy-" + policyId, "replication-schedule")))
                    .as("no trigger once disabled").isNull();
            }

            List<JsonNode> executions = second.get("/api/v2.0/replication/executions?policy_id=" + policyId + "&page_size=100")
                .json().valueStream().toList();
            assertThat(executions).hasSizeGreaterThanOrEqualTo(3);
            assertThat(executions).allSatisfy(e -> assertThat(e.path("trigger").asString()).isEqualTo("scheduled"));
            Set<Long> fireSeconds = new java.util.HashSet<>();
            for (JsonNode e : executions) {
                long second2 = Instant.parse(e.path("start_time").asString()).getEpochSecond() / 2;
                assertThat(fireSeconds.add(second2)).as("one execution per fire: %s", executions).isTrue();
            }
            assertThat(second.headManifest("cron/cron", "1").header("Docker-Content-Digest")).contains(digest);
            assertThat(hub.count(DockerHubEmulator.Role.REGISTRY, "GET", "/v2/acme/cron/manifests/.*"))
                .as("one pull; every later run found it unchanged by HEAD").isEqualTo(1);
        }
    }

    private static long id(Response created) {
        String location = created.header("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }
}
