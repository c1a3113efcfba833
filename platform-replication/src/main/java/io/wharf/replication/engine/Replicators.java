package io.wharf.replication.engine;

import io.wharf.core.artifact.RepositoryService;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.registry.BlobUploadService;
import io.wharf.core.registry.RegistryService;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.replication.policy.ReplicationPolicy;
import io.wharf.replication.upstream.UpstreamClient;
import org.springframework.stereotype.Component;

/** Builds the {@link Replicator} of a policy: its direction, with a client for its remote endpoint. */
@Component
class Replicators {

    private final RegistryEndpointService endpoints;
    private final RegistryService registry;
    private final BlobUploadService uploads;
    private final RepositoryService repositories;
    private final RateLimitGuard guard;

    Replicators(RegistryEndpointService endpoints, RegistryService registry, BlobUploadService uploads,
                RepositoryService repositories, RateLimitGuard guard) {
        this.endpoints = endpoints;
        this.registry = registry;
        this.uploads = uploads;
        this.repositories = repositories;
        this.guard = guard;
    }

    Replicator forPolicy(ReplicationPolicy policy) {
        UpstreamClient remote = endpoints.client(policy.remoteId());
        // Wharf itself, as replication: may read and write every repository, and its reads are not pulls;
        // one caller per execution, as a caller remembers its decisions
        Caller system = Caller.of(Principal.system("replication"), null);
        return policy.pulls()
            ? new PullReplicator(policy, remote, registry, uploads, system, guard)
            : new PushReplicator(policy, remote, registry, repositories, system);
    }
}
