package io.wharf.replication.engine;

import io.wharf.core.Glob;
import io.wharf.core.artifact.RepositoryInfo;
import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.iam.Caller;
import io.wharf.core.registry.ManifestContent;
import io.wharf.core.registry.Reference;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.replication.execution.ExecutionStore;
import io.wharf.replication.execution.ReplicationTask;
import io.wharf.replication.execution.TaskStatus;
import io.wharf.replication.policy.PolicyFilter;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.upstream.ManifestHead;
import io.wharf.replication.upstream.UpstreamClient;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies from Wharf out to a remote registry: for each local tag it HEADs the destination and skips
 * an equal digest; blobs the destination has (HEAD) are not sent. Reads are Wharf's own, so no pull
 * count or pull time moves. A deletion task deletes the tag (or manifest) at the destination.
 */
final class PushReplicator implements Replicator {

    private final ReplicationPolicy policy;
    private final UpstreamClient remote;
    private final RegistryService registry;
    private final RepositoryService repositories;
    private final Caller system;

    PushReplicator(ReplicationPolicy policy, UpstreamClient remote, RegistryService registry, RepositoryService repositories,
                   Caller system) {
        this.policy = policy;
        this.remote = remote;
        this.registry = registry;
        this.repositories = repositories;
        this.system = system;
    }

    @Override
    public List<ExecutionStore.Planned> plan(TaskContext context) {
        List<ExecutionStore.Planned> planned = new ArrayList<>();
        for (String repository : localRepositories()) {
            context.checkStop();
            for (String tag : localTags(repository)) {
                planned.add(new ExecutionStore.Planned("copy", repository, policy.destination(repository), tag));
            }
        }
        context.log("planned " + planned.size() + " artifacts to push");
        return planned;
    }

    private List<String> localTags(String repository) {
        List<String> tags = new ArrayList<>();
        String last = null;
        do {
            io.wharf.core.registry.Page page = registry.tags(system, RepositoryName.of(repository), 1000, last);
            page.items().stream().filter(policy::acceptsTag).forEach(tags::add);
            last = page.last();
        } while (last != null);
        return tags;
    }

    private Set<String> localRepositories() {
        Set<String> projects = new LinkedHashSet<>();
        for (PolicyFilter f : policy.filters(PolicyFilter.Type.NAME)) {
            String prefix = Glob.of(f.value()).literalPrefix();
            projects.add(f.excludes() || prefix.isEmpty() ? null : prefix.split("/")[0]);
        }
        if (projects.isEmpty() || projects.contains(null)) {
            projects = new LinkedHashSet<>();
            projects.add(null);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String project : projects) {
            int page = 0;
            Page<RepositoryInfo> result;
            do {
                result = repositories.list(system, project, null, null, PageRequest.of(page++, 100));
                result.forEach(r -> names.add(r.name()));
            } while (result.hasNext());
        }
        names.removeIf(name -> !policy.acceptsRepository(name));
        return names;
    }

    @Override
    public Outcome copy(ReplicationTask task, TaskContext context) {
        if (task.operation().equals("deletion")) {
            remote.deleteManifest(task.dstRepository(), task.reference());
            context.log("deleted " + task.dstResource() + " at the destination");
            return new Outcome(TaskStatus.SUCCEED, null, 0);
        }
        RepositoryName source = RepositoryName.of(task.srcRepository());
        ManifestContent local = registry.getManifest(system, source, Reference.parse(task.reference()), Manifests.ACCEPT);
        ManifestDocument outgoing = outgoing(local);
        // what the destination holds when nothing changed: the local manifest, or the index cut to the platforms
        String digest = Digest.sha256(outgoing.bytes()).toString();
        Optional<ManifestHead> there = remote.headManifest(task.dstRepository(), task.reference(), Manifests.ACCEPT);
        if (there.isPresent() && there.get().digest() != null && there.get().digest().toString().equals(digest)) {
            context.log("unchanged at the destination: nothing to push");
            return new Outcome(TaskStatus.SKIPPED, digest, 0);
        }
        if (there.isPresent() && !policy.spec().override()) {
            context.log("the destination has another " + task.dstResource() + " and override is off: skipped");
            return new Outcome(TaskStatus.SKIPPED, digest, 0);
        }
        AtomicLong bytes = new AtomicLong();
        String pushed = push(source, task.dstRepository(), outgoing, task.reference(), bytes, context);
        context.log("pushed " + task.dstResource() + " as " + pushed + ", " + bytes.get() + " bytes sent");
        return new Outcome(TaskStatus.SUCCEED, pushed, bytes.get());
    }

    /** The manifest as it goes out: an index keeps only the policy's platforms (and records its source digest). */
    private ManifestDocument outgoing(ManifestContent manifest) {
        ManifestDocument document = ManifestDocument.parse(manifest.info().mediaType(), manifest.content());
        Optional<List<String>> platforms = policy.platforms();
        if (document.isIndex() && platforms.isPresent()) {
            return Manifests.withSourceDigest(document.keepPlatforms(platforms.get()), manifest.info().digest().toString());
        }
        return document;
    }

    private String push(RepositoryName source, String destination, ManifestDocument document, String reference,
                        AtomicLong bytes, TaskContext context) {
        context.checkStop();
        if (document.isIndex()) {
            for (ManifestDocument.Descriptor child : document.children()) {
                if (remote.headManifest(destination, child.digest(), Manifests.ACCEPT).isEmpty()) {
                    ManifestContent content = registry.getManifest(system, source, Reference.parse(child.digest()), Manifests.ACCEPT);
                    push(source, destination, outgoing(content), child.digest(), bytes, context);
                }
            }
        } else {
            for (ManifestDocument.Descriptor blob : document.blobs()) {
                context.checkStop();
                if (remote.headBlob(destination, Digest.parse(blob.digest())).isPresent()) {
                    continue;
                }
                context.log("sending " + blob.digest() + " (" + blob.size() + " bytes)");
                try (InputStream in = registry.openBlob(system, source, Digest.parse(blob.digest()))) {
                    remote.pushBlob(destination, Digest.parse(blob.digest()), blob.size(), context.stoppable(new CountingInputStream(in, bytes)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        String target = Reference.isTag(reference) ? reference : Digest.sha256(document.bytes()).toString();
        return remote.putManifest(destination, target, document.mediaType(), document.bytes()).toString();
    }
}
