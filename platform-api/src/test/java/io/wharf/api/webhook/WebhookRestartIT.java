package io.wharf.api.webhook;

import io.wharf.api.WharfNodes;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.webhook.WebhookReceiver;
import io.wharf.webhook.delivery.WebhookDispatcher;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries live in the database: a push on one node queues its delivery; that node stops before
 * sending it, and a node started afterwards on the same database sends it, once. A pull, which waits in
 * memory until the next flush, is queued when the node stops gracefully.
 */
class WebhookRestartIT {

    private static final String ADMIN_PASSWORD = "Admin12345";
    private static final Credentials ADMIN = Credentials.basic("admin", ADMIN_PASSWORD);
    private static final String[] ARGS = {"--wharf.admin-password=" + ADMIN_PASSWORD, "--wharf.webhook.poll-interval=1h",
        "--wharf.webhook.pull-flush-interval=1h"};

    @Test
    void aDeliveryQueuedBeforeARestartIsSentAfterIt() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            WharfNodes first = WharfNodes.start(1, ARGS);
            String digest;
            try {
                RegistryClient http = RegistryClient.forPort(first.port(0)).as(ADMIN);
                projectWithPolicy(http, "restart", "PUSH_ARTIFACT", Map.of("type", "http", "address", receiver.url("/hook").toString(),
                    "auth_header", "Bearer x", "payload_format", "Default"));
                digest = http.push("restart/app", "1", TestImage.simple("restart"));
            } finally {
                first.close();
            }
            assertThat(receiver.received()).as("the first node stopped before sending").isEmpty();

            try (WharfNodes second = WharfNodes.startOn(first.schema(), first.dataDir(), 1, ARGS)) {
                WebhookDispatcher dispatcher = second.node(0).getBean(WebhookDispatcher.class);
                assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
                assertThat(dispatcher.deliverDueNow()).isZero();
            }
            assertThat(receiver.received("/hook")).hasSize(1);
            WebhookReceiver.Received delivered = receiver.received("/hook").get(0);
            assertThat(delivered.header("Authorization")).as("decrypted with the shared key").isEqualTo("Bearer x");
            assertThat(JsonMapper.builder().build().readTree(delivered.body()).path("event_data").path("resources").path(0)
                .path("digest").asString()).isEqualTo(digest);
        }
    }

    @Test
    void aPullNotificationStillInMemoryIsQueuedWhenTheNodeStopsGracefully() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            WharfNodes first = WharfNodes.start(1, ARGS);
            String digest;
            try {
                RegistryClient http = RegistryClient.forPort(first.port(0)).as(ADMIN);
                projectWithPolicy(http, "pulled", "PULL_ARTIFACT", Map.of("type", "http", "address", receiver.url("/hook").toString(),
                    "payload_format", "Default"));
                digest = http.push("pulled/app", "1", TestImage.simple("pulled"));
                http.getManifest("pulled/app", "1").expect(200);
            } finally {
                // the pull flush runs once an hour here: the pull is still in memory when the node stops
                first.close();
            }

            try (WharfNodes second = WharfNodes.startOn(first.schema(), first.dataDir(), 1, ARGS)) {
                WebhookDispatcher dispatcher = second.node(0).getBean(WebhookDispatcher.class);
                assertThat(dispatcher.deliverDueNow()).as("queued by the first node as it stopped").isEqualTo(1);
            }
            assertThat(receiver.received("/hook")).hasSize(1);
            JsonNode event = JsonMapper.builder().build().readTree(receiver.received("/hook").get(0).body());
            assertThat(event.path("type").asString()).isEqualTo("PULL_ARTIFACT");
            assertThat(event.path("event_data").path("resources").path(0).path("digest").asString()).isEqualTo(digest);
            assertThat(event.path("event_data").path("resources").path(0).path("tag").asString()).isEqualTo("1");
        }
    }

    /** Creates the private project {@code project} with an enabled policy for {@code event} to {@code target}. */
    private static void projectWithPolicy(RegistryClient http, String project, String event, Map<String, Object> target) {
        http.post("/api/v2.0/projects", Map.of("project_name", project, "metadata", Map.of("public", "false"))).expect(201);
        Response created = http.post("/api/v2.0/projects/" + project + "/webhook/policies", Map.of("name", "hook",
            "targets", List.of(target), "event_types", List.of(event), "enabled", true));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }
}
