package io.wharf.webhook.delivery;

import io.wharf.core.PlatformProperties;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.ArtifactPulled;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.webhook.policy.EventType;
import io.wharf.webhook.policy.PayloadFormat;
import io.wharf.webhook.policy.Subscriptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Pull notifications wait in memory until a flush queues them; a flush that fails keeps them for the next one, a bounded number of times. */
class WebhookNotifierTest {

    private static final OffsetDateTime CREATED = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Project PROJECT = new Project(7, "team", false, null, CREATED, CREATED, null);
    private static final List<Subscriptions.Subscriber> SUBSCRIBERS = List.of(new Subscriptions.Subscriber(1, 7, "hook",
        List.of(new Subscriptions.StoredTarget("http://127.0.0.1:1/hook", null, false, PayloadFormat.DEFAULT))));

    private final Subscriptions subscriptions = mock(Subscriptions.class);
    private final DeliveryQueue queue = mock(DeliveryQueue.class);
    private final ProjectService projects = mock(ProjectService.class);
    private final WebhookNotifier notifier = new WebhookNotifier(subscriptions, queue, projects, mock(RepositoryService.class),
        new PlatformProperties(Path.of("."), null, null, null), mock(PlatformTransactionManager.class));

    @BeforeEach
    void subscribed() {
        when(subscriptions.subscribers(PROJECT, EventType.PULL_ARTIFACT)).thenReturn(SUBSCRIBERS);
        when(queue.enqueue(any(), any())).thenReturn(1);
    }

    private static ArtifactPulled pull() {
        return new ArtifactPulled("admin", "127.0.0.1", Instant.parse("2026-01-02T00:00:00Z"), RepositoryName.of("team/app"),
            Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8)), "1.0", "application/vnd.oci.image.manifest.v1+json");
    }

    @Test
    void aPullIsQueuedByTheNextFlushOnly() {
        when(projects.find("team")).thenReturn(Optional.of(PROJECT));
        notifier.on(pull());
        assertThat(notifier.flushPulls()).isEqualTo(1);
        assertThat(notifier.flushPulls()).isZero();
    }

    @Test
    void aFailedFlushKeepsItsPullsForTheNextOne() {
        when(projects.find("team")).thenThrow(new DataAccessResourceFailureException("the database is down"))
            .thenReturn(Optional.of(PROJECT));
        notifier.on(pull());
        assertThat(notifier.flushPulls()).as("failed").isZero();
        assertThat(notifier.flushPulls()).as("the pull was kept").isEqualTo(1);
        assertThat(notifier.flushPulls()).isZero();
    }

    @Test
    void aPullThatKeepsFailingIsDroppedAfterMaxFlushes() {
        when(projects.find("team")).thenThrow(new DataAccessResourceFailureException("the database is down"));
        notifier.on(pull());
        for (int i = 0; i < WebhookNotifier.MAX_FLUSHES; i++) {
            assertThat(notifier.flushPulls()).isZero();
        }
        doReturn(Optional.of(PROJECT)).when(projects).find("team");
        assertThat(notifier.flushPulls()).as("dropped after %d failed flushes", WebhookNotifier.MAX_FLUSHES).isZero();
        verify(queue, never()).enqueue(any(), any());
    }
}
