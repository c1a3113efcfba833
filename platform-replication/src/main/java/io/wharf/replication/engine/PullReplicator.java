package io.wharf.replication.engine;

import io.wharf.core.Glob;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.registry.BlobUploadService;
import io.wharf.core.registry.Reference;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.execution.ReplicationTask;
import io.wharf.replication.execution.TaskStatus;
import io.wharf.replication.policy.PolicyFilter;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.upstream.ManifestHead;
import io.wharf.replication.upstream.UpstreamClient;
import io.wharf.replication.upstream.Manifest;
import io.wharf.replication.upstream.UpstreamRegistry;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies from a remote registry into Wharf. For each tag it HEADs the source (free on Docker Hub)
 * and compares with what Wharf holds, so an unchanged tag costs no GET; a blob Wharf already stores
 * anywhere is linked, not downloaded. Children of an index are copied first, by digest, then the
 * index; with a platform filter the index keeps only those children (and so gets a new digest).
 */
final class PullReplicator implements Replicator {

    private final ReplicationPolicy policy;
    private final UpstreamClient upstream;
    private final RegistryService registry;
    private final BlobUploadService uploads;
    private final Caller system;
    private final RateLimitGuard guard;

    PullReplicator(ReplicationPolicy policy, UpstreamClient upstream, RegistryService registry, BlobUploadService uploads,
                   Caller system, RateLimitGuard guard) {
        this.policy = policy;
        this.upstream = upstream;
        this.registry = registry;
        this.uploads = uploads;
        this.system = system;
        this.guard = guard;
    }

    @Override
    public List<ExecutionStore.Planned> plan(TaskContext context) {
        List<ExecutionStore.Planned> planned = new ArrayList<>();
        for (String repository : repositories(context)) {
            context.checkStop();
            List<String> tags = upstream.tags(repository).stream().filter(policy::acceptsTag).toList();
            context.log(repository + ": " + tags.size() + " tags pass the filters");
            for (String tag : tags) {
                planned.add(new ExecutionStore.Planned("copy", repository, policy.destination(repository), tag));
            }
        }
        return planned;
    }

    /** The source repositories: named exactly by a name filter, or listed under its literal namespace. */
    private Set<String> repositories(TaskContext context) {
        Set<String> names = new LinkedHashSet<>();
        List<PolicyFilter> includes = policy.filters(PolicyFilter.Type.NAME).stream().filter(f -> !f.excludes()).toList();
        if (includes.isEmpty()) {
            names.addAll(upstream.repositories(""));
        }
        for (PolicyFilter filter : includes) {
            Glob glob = Glob.of(filter.value());
            String prefix = glob.literalPrefix();
            if (prefix.equals(filter.value())) {
                names.add(upstream.registry().kind() == UpstreamRegistry.Kind.DOCKER_HUB ? UpstreamClient.normalize(prefix) : prefix);
            } else {
                names.addAll(upstream.repositories(prefix.isEmpty() ? "" : prefix.split("/")[0]));
            }
        }
        List<String> accepted = names.stream().filter(policy::acceptsRepository).toList();
        context.log("found " + names.size() + " repositories, " + accepted.size() + " pass the name filters");
        return new LinkedHashSet<>(accepted);
    }

    @Override
    public Outcome copy(ReplicationTask task, TaskContext context) {
        RepositoryName destination = RepositoryName.of(task.dstRepository());
        ManifestHead head = upstream.headManifest(task.srcRepository(), task.reference(), Manifests.ACCEPT)
            .orElseThrow(() -> new PlatformException(ErrorCode.MANIFEST_UNKNOWN,
                task.srcResource() + " no longer exists at the source"));
        String sourceDigest = head.digest() != null ? head.digest().toString()
            : sourceDigestByGet(task, context); // a registry that sends no Docker-Content-Digest on HEAD
        context.log("source " + task.srcResource() + " is " + sourceDigest + " (" + head.mediaType() + ")");
        Optional<ManifestInfo> local = stat(destination, task.reference());
        if (local.isPresent()) {
            if (local.get().digest().toString().equals(sourceDigest)
                || Manifests.sourceDigest(local.get()).filter(sourceDigest::equals).isPresent()) {
                context.log("unchanged at the destination: nothing to copy");
                return new Outcome(TaskStatus.SKIPPED, local.get().digest().toString(), 0);
            }
            if (!policy.spec().override()) {
                context.log("the destination has another " + task.dstResource() + " and override is off: skipped");
                return new Outcome(TaskStatus.SKIPPED, local.get().digest().toString(), 0);
            }
        }
        AtomicLong bytes = new AtomicLong();
        String stored = copyManifest(task.srcRepository(), destination, sourceDigest, task.reference(), true, bytes, context);
        context.log("copied " + task.dstResource() + " as " + stored + ", " + bytes.get() + " bytes transferred");
        return new Outcome(TaskStatus.SUCCEED, stored, bytes.get());
    }

    private String sourceDigestByGet(ReplicationTask task, TaskContext context) {
        guard.beforeCountedRequest(upstream, policy, context);
        return upstream.getManifest(task.srcRepository(), task.reference(), Manifests.ACCEPT).digest().toString();
    }

    /** Copies manifest {@code digest} (an index with its children, or an image with its blobs); returns the stored digest. */
    private String copyManifest(String source, RepositoryName destination, String digest, String reference, boolean top,
                                AtomicLong bytes, TaskContext context) {
        context.checkStop();
        if (!top && stat(destination, digest).isPresent()) {
            return digest;
        }
        guard.beforeCountedRequest(upstream, policy, context);
        Manifest manifest = upstream.getManifest(source, digest, Manifests.ACCEPT);
        ManifestDocument document = ManifestDocument.parse(manifest.mediaType(), manifest.bytes());
        if (document.isIndex()) {
            Optional<List<String>> platforms = policy.platforms();
            if (platforms.isPresent()) {
                document = document.keepPlatforms(platforms.get());
                document = Manifests.withSourceDigest(document, digest);
                context.log("kept the platforms " + platforms.get() + " of the index " + digest);
            }
            for (ManifestDocument.Descriptor child : document.children()) {
                copyManifest(source, destination, child.digest(), child.digest(), false, bytes, context);
            }
        } else {
            if (policy.imagesOnly() && !Manifests.isImage(document)) {
                throw new PlatformException(ErrorCode.UNSUPPORTED, digest + " is not an image and the policy copies images only");
            }
            for (ManifestDocument.Descriptor blob : document.blobs()) {
                copyBlob(source, destination, blob, bytes, context);
            }
        }
        Reference target = top ? Reference.parse(reference) : Reference.parse(Digest.sha256(document.bytes()).toString());
        return registry.putManifest(system, destination, target, document.mediaType(), document.bytes()).digest().toString();
    }

    private void copyBlob(String source, RepositoryName destination, ManifestDocument.Descriptor blob, AtomicLong bytes,
                          TaskContext context) {
        context.checkStop();
        Digest digest = Digest.parse(blob.digest());
        uploads.put(system, destination, digest, blob.size() >= 0 ? blob.size() : null, () -> {
            context.log("downloading " + blob.digest() + " (" + blob.size() + " bytes)");
            InputStream in = upstream.openBlob(source, digest, blob.size());
            return context.stoppable(new CountingInputStream(in, bytes));
        });
    }

    private Optional<ManifestInfo> stat(RepositoryName repository, String reference) {
        try {
            return Optional.of(registry.statManifest(system, repository, Reference.parse(reference), List.of()));
        } catch (PlatformException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
