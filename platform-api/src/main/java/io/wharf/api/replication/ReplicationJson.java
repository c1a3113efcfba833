package io.wharf.api.replication;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.replication.endpoint.EndpointSpec;
import io.wharf.replication.endpoint.EndpointType;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.execution.ReplicationExecution;
import io.wharf.replication.execution.ReplicationTask;
import io.wharf.replication.execution.TaskStatus;
import io.wharf.replication.policy.PolicyFilter;
import io.wharf.replication.policy.PolicySpec;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.policy.TriggerType;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Harbor's JSON for registries, policies, executions and tasks, both ways. */
final class ReplicationJson {

    /** Shown in place of a stored secret, as Harbor does; sent back unchanged, it keeps the secret. */
    static final String MASKED = "*****";

    private ReplicationJson() {
    }

    record Credential(@Nullable String type, @Nullable String access_key, @Nullable String access_secret) {
    }

    record RegistryRequest(@Nullable Long id, @Nullable String name, @Nullable String type, @Nullable String url,
                           @Nullable Credential credential, @Nullable Boolean insecure, @Nullable String description) {

        /** The spec, with {@code current} filling what an update leaves out. */
        EndpointSpec spec(@Nullable RegistryEndpoint current) {
            String n = name != null ? name : current != null ? current.name() : null;
            String u = url != null ? url : current != null ? current.url().toString() : null;
            if (n == null || u == null || (type == null && current == null)) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "name, type and url are required");
            }
            EndpointType t = type != null ? EndpointType.of(type) : current.type();
            String key = credential != null ? credential.access_key() : current != null ? current.accessKey() : null;
            String secret = credential == null || MASKED.equals(credential.access_secret()) ? null : credential.access_secret();
            boolean skipTls = insecure != null ? insecure : current != null && current.insecure();
            String text = description != null ? description : current != null ? current.description() : null;
            return new EndpointSpec(n, t, u, key, secret, skipTls, text);
        }
    }

    static Map<String, Object> registry(RegistryEndpoint e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("name", e.name());
        json.put("description", e.description() == null ? "" : e.description());
        json.put("type", e.type().id());
        json.put("url", e.url().toString());
        json.put("token_service_url", "");
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("type", "basic");
        credential.put("access_key", e.accessKey() == null ? "" : e.accessKey());
        credential.put("access_secret", e.hasSecret() ? MASKED : "");
        json.put("credential", credential);
        json.put("insecure", e.insecure());
        json.put("creation_time", ApiPage.time(e.createdAt()));
        json.put("update_time", ApiPage.time(e.updatedAt()));
        return json;
    }

    /** Harbor's "Local" registry, the local side of a policy. */
    static Map<String, Object> localRegistry() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", 0);
        json.put("name", "Local");
        json.put("type", "wharf");
        json.put("url", "");
        json.put("insecure", false);
        return json;
    }

    record RegistryRef(@Nullable Long id) {
    }

    record Trigger(@Nullable String type, @Nullable Map<String, Object> trigger_settings) {
    }

    record Filter(@Nullable String type, @Nullable Object value, @Nullable String decoration) {
    }

    record PolicyRequest(@Nullable String name, @Nullable String description, @Nullable RegistryRef src_registry,
                         @Nullable RegistryRef dest_registry, @Nullable String dest_namespace,
                         @Nullable Integer dest_namespace_replace_count, @Nullable Trigger trigger,
                         @Nullable List<Filter> filters, @Nullable Boolean replicate_deletion, @Nullable Boolean override,
                         @Nullable Boolean enabled, @Nullable Integer speed, @Nullable Integer concurrency,
                         @Nullable Integer rate_limit_floor) {

        /** The spec, with {@code current} filling what an update leaves out. */
        PolicySpec spec(@Nullable PolicySpec current) {
            String n = name != null ? name : current != null ? current.name() : null;
            if (n == null) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "name is required");
            }
            Long src = src_registry != null ? remote(src_registry.id()) : current != null ? current.srcRegistryId() : null;
            Long dest = dest_registry != null ? remote(dest_registry.id()) : current != null ? current.destRegistryId() : null;
            TriggerType triggerType = trigger != null && trigger.type() != null ? TriggerType.of(trigger.type())
                : current != null ? current.trigger() : TriggerType.MANUAL;
            String cron = trigger != null && trigger.trigger_settings() != null && trigger.trigger_settings().get("cron") != null
                ? String.valueOf(trigger.trigger_settings().get("cron")) : current != null ? current.cron() : null;
            List<PolicyFilter> parsed = filters != null ? filters.stream().map(ReplicationJson::filter).toList()
                : current != null ? current.filters() : List.of();
            return new PolicySpec(n, description != null ? description : current != null ? current.description() : null,
                src, dest, dest_namespace != null ? dest_namespace : current != null ? current.destNamespace() : null,
                dest_namespace_replace_count != null ? dest_namespace_replace_count
                    : current != null ? current.destNamespaceReplaceCount() : -1,
                triggerType, cron, parsed,
                override != null ? override : current == null || current.override(),
                replicate_deletion != null ? replicate_deletion : current != null && current.replicateDeletion(),
                enabled != null ? enabled : current == null || current.enabled(),
                concurrency != null ? concurrency : current != null ? current.concurrency() : 2,
                speed != null ? Math.max(0, speed) : current != null ? current.speedKb() : 0,
                rate_limit_floor != null ? rate_limit_floor : current != null ? current.rateLimitFloor() : 0);
        }

        /** Harbor's local registry has id 0. */
        private static @Nullable Long remote(@Nullable Long id) {
            return id == null || id == 0 ? null : id;
        }
    }

    private static PolicyFilter filter(Filter f) {
        if (f.type() == null || f.value() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a filter needs a type and a value");
        }
        return PolicyFilter.of(f.type(), String.valueOf(f.value()), f.decoration());
    }

    static Map<String, Object> policy(ReplicationPolicy p, LongFunction<Map<String, Object>> registry) {
        PolicySpec s = p.spec();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("name", s.name());
        json.put("description", s.description() == null ? "" : s.description());
        json.put("src_registry", s.srcRegistryId() == null ? localRegistry() : registry.apply(s.srcRegistryId()));
        json.put("dest_registry", s.destRegistryId() == null ? localRegistry() : registry.apply(s.destRegistryId()));
        json.put("dest_namespace", s.destNamespace() == null ? "" : s.destNamespace());
        json.put("dest_namespace_replace_count", s.destNamespaceReplaceCount());
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", s.trigger().id());
        trigger.put("trigger_settings", Map.of("cron", s.cron() == null ? "" : s.cron()));
        json.put("trigger", trigger);
        json.put("filters", s.filters().stream().map(f -> Map.of("type", f.type().id(), "value", f.value(),
            "decoration", f.excludes() ? "excludes" : "matches")).toList());
        json.put("replicate_deletion", s.replicateDeletion());
        json.put("override", s.override());
        json.put("enabled", s.enabled());
        json.put("speed", s.speedKb() == 0 ? -1 : s.speedKb());
        json.put("copy_by_chunk", false);
        json.put("concurrency", s.concurrency());
        json.put("rate_limit_floor", s.rateLimitFloor());
        json.put("creation_time", ApiPage.time(p.createdAt()));
        json.put("update_time", ApiPage.time(p.updatedAt()));
        return json;
    }

    static Map<String, Object> execution(ReplicationExecution e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("policy_id", e.policyId());
        json.put("status", e.status().id());
        json.put("status_text", e.statusText() == null ? "" : e.statusText());
        json.put("trigger", e.trigger());
        json.put("total", e.total());
        json.put("failed", e.count(TaskStatus.FAILED));
        json.put("succeed", e.count(TaskStatus.SUCCEED) + e.count(TaskStatus.SKIPPED));
        json.put("in_progress", e.count(TaskStatus.IN_PROGRESS) + e.count(TaskStatus.PENDING));
        json.put("stopped", e.count(TaskStatus.STOPPED));
        json.put("skipped", e.count(TaskStatus.SKIPPED));
        json.put("paused_until", time(e.pausedUntil()));
        json.put("start_time", ApiPage.time(e.startTime()));
        json.put("end_time", time(e.endTime()));
        return json;
    }

    static Map<String, Object> task(ReplicationTask t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("execution_id", t.executionId());
        json.put("resource_type", t.resourceType());
        json.put("src_resource", t.srcResource());
        json.put("dst_resource", t.dstResource());
        json.put("operation", t.operation());
        json.put("job_id", String.valueOf(t.id()));
        json.put("status", t.status().id());
        json.put("digest", t.digest());
        json.put("bytes", t.bytes());
        json.put("attempts", t.attempts());
        json.put("error", t.error());
        json.put("start_time", time(t.startTime()));
        json.put("end_time", time(t.endTime()));
        return json;
    }

    private static @Nullable String time(@Nullable OffsetDateTime time) {
        return time == null ? null : ApiPage.time(time);
    }
}
