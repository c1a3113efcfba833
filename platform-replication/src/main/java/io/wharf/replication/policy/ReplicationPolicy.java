package io.wharf.replication.policy;

import io.wharf.core.Glob;
import org.jspecify.annotations.Nullable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A stored policy; {@link #spec()} has what the administrator set. */
public record ReplicationPolicy(long id, PolicySpec spec, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** Whether the policy pulls from a remote endpoint into Wharf (else it pushes out). */
    public boolean pulls() {
        return spec.srcRegistryId() != null;
    }

    /** The remote endpoint: the source of a pull policy, the destination of a push policy. */
    public long remoteId() {
        Long id = pulls() ? spec.srcRegistryId() : spec.destRegistryId();
        return id == null ? -1 : id;
    }

    /** The filters of {@code type}. */
    public List<PolicyFilter> filters(PolicyFilter.Type type) {
        return spec.filters().stream().filter(f -> f.type() == type).toList();
    }

    /** The platforms an index keeps, or empty to copy indexes whole. */
    public Optional<List<String>> platforms() {
        return filters(PolicyFilter.Type.PLATFORM).stream().findFirst().map(f -> PolicyFilter.platforms(f.value()));
    }

    /** Whether {@code tag} passes the tag filters (all of them). */
    public boolean acceptsTag(String tag) {
        return filters(PolicyFilter.Type.TAG).stream().allMatch(f -> Glob.of(f.value()).matches(tag) != f.excludes());
    }

    /** Whether the repository {@code name} passes the name filters (all of them). */
    public boolean acceptsRepository(String name) {
        return filters(PolicyFilter.Type.NAME).stream().allMatch(f -> Glob.of(f.value()).matches(name) != f.excludes());
    }

    /** Whether only images (not other artifacts, like Helm charts or signatures) are copied. */
    public boolean imagesOnly() {
        return filters(PolicyFilter.Type.RESOURCE).stream().anyMatch(f -> f.value().equals("image"));
    }

    /** Where {@code source} lands. */
    public String destination(String source) {
        return NameRewrite.apply(source, spec.destNamespace(), spec.destNamespaceReplaceCount());
    }

    /** A short description for logs. */
    public String describe(@Nullable String remoteName) {
        return spec.name() + (pulls() ? " (pull from " : " (push to ") + remoteName + ")";
    }
}
