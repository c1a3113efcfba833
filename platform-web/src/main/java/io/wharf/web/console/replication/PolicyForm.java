package io.wharf.web.console.replication;

import io.wharf.replication.policy.PolicyFilter;
import io.wharf.replication.policy.PolicySpec;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.TriggerType;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy form's fields (bound by direct field access, see the controller's {@code @InitBinder}),
 * and the spec they make. Name
 * patterns are one per line or comma-separated; the tag pattern includes or, with
 * {@code tagExcludes}, excludes.
 */
public class PolicyForm {

    public String name = "";
    public @Nullable String description;
    public String direction = "pull";
    public @Nullable Long registry;
    public String names = "";
    public String tags = "";
    public boolean tagExcludes;
    public String platforms = "";
    public boolean imagesOnly;
    public String destNamespace = "";
    public int replaceCount = 1;
    public String trigger = "manual";
    public String cron = "";
    public boolean override = true;
    public boolean replicateDeletion;
    public boolean enabled = true;
    public int concurrency = 2;
    public int rateLimitFloor;

    /** The form showing {@code policy}. */
    static PolicyForm of(ReplicationPolicy policy) {
        PolicySpec s = policy.spec();
        PolicyForm form = new PolicyForm();
        form.name = s.name();
        form.description = s.description();
        form.direction = policy.pulls() ? "pull" : "push";
        form.registry = policy.remoteId();
        form.names = String.join("\n", policy.filters(PolicyFilter.Type.NAME).stream().map(PolicyFilter::value).toList());
        policy.filters(PolicyFilter.Type.TAG).stream().findFirst().ifPresent(f -> {
            form.tags = f.value();
            form.tagExcludes = f.excludes();
        });
        form.platforms = policy.filters(PolicyFilter.Type.PLATFORM).stream().findFirst().map(PolicyFilter::value).orElse("");
        form.imagesOnly = policy.imagesOnly();
        form.destNamespace = s.destNamespace() == null ? "" : s.destNamespace();
        form.replaceCount = s.destNamespaceReplaceCount();
        form.trigger = s.trigger().id();
        form.cron = s.cron() == null ? "" : s.cron();
        form.override = s.override();
        form.replicateDeletion = s.replicateDeletion();
        form.enabled = s.enabled();
        form.concurrency = s.concurrency();
        form.rateLimitFloor = s.rateLimitFloor();
        return form;
    }

    /** The spec this form describes; the service validates it. */
    PolicySpec spec() {
        List<PolicyFilter> filters = new ArrayList<>();
        for (String pattern : names.split("[,\\n]")) {
            if (!pattern.isBlank()) {
                filters.add(PolicyFilter.of("name", pattern.strip(), "matches"));
            }
        }
        if (!tags.isBlank()) {
            filters.add(PolicyFilter.of("tag", tags.strip(), tagExcludes ? "excludes" : "matches"));
        }
        if (!platforms.isBlank()) {
            filters.add(PolicyFilter.of("platform", platforms.strip(), null));
        }
        if (imagesOnly) {
            filters.add(PolicyFilter.of("resource", "image", null));
        }
        boolean pull = !"push".equals(direction);
        return new PolicySpec(name, description == null || description.isBlank() ? null : description.strip(),
            pull ? registry : null, pull ? null : registry, destNamespace.isBlank() ? null : destNamespace.strip(),
            replaceCount, TriggerType.of(trigger), cron.isBlank() ? null : cron.strip(), filters, override,
            replicateDeletion, enabled, concurrency, 0, rateLimitFloor);
    }
}
