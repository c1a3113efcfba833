package io.wharf.webhook.policy;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A row of {@code webhook_policy} with its targets. */
@Entity
@Table(name = "webhook_policy")
class WebhookPolicyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Nullable Long id;

    @Column(name = "project_id", nullable = false)
    long projectId;

    @Column(nullable = false)
    String name = "";

    @Column
    @Nullable String description;

    @Column(name = "event_types", nullable = false)
    String eventTypes = "";

    @Column(nullable = false)
    boolean enabled;

    @Column
    @Nullable String creator;

    @Column(name = "created_at", nullable = false)
    OffsetDateTime createdAt = OffsetDateTime.MIN;

    @Column(name = "updated_at", nullable = false)
    OffsetDateTime updatedAt = OffsetDateTime.MIN;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "webhook_target", joinColumns = @JoinColumn(name = "policy_id"))
    @OrderColumn(name = "target_index")
    List<TargetColumns> targets = new ArrayList<>();

    long id() {
        if (id == null) {
            throw new IllegalStateException("not saved yet");
        }
        return id;
    }

    List<EventType> eventTypes() {
        return Arrays.stream(eventTypes.split(",")).filter(s -> !s.isBlank()).map(EventType::of).toList();
    }

    WebhookPolicy view() {
        return new WebhookPolicy(id(), projectId, name, description, targets.stream().map(TargetColumns::view).toList(),
            eventTypes(), enabled, creator, createdAt, updatedAt);
    }
}
