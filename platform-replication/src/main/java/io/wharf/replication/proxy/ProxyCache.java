package io.wharf.replication.proxy;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.registry.BlobUploadService;
import io.wharf.core.registry.PullThrough;
import io.wharf.core.registry.Reference;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.replication.upstream.Manifest;
import io.wharf.replication.upstream.ManifestHead;
import io.wharf.replication.upstream.UpstreamClient;
import io.wharf.replication.upstream.UpstreamException;
import io.wharf.replication.upstream.UpstreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fills proxy-cache projects from their upstream (docs/proxy.md). Tags are compared with the upstream
 * by HEAD, at most once per {@code wharf.proxy.tag-ttl} (free on Docker Hub); only a changed or
 * missing manifest is fetched, and stored byte for byte under its upstream digest. When the upstream
 * cannot be asked (down, erroring, rate limited), what is cached is served. Blobs are fetched once per
 * digest however many clients ask at once on this node; the others wait and read the cache. Content
 * is verified by its digest before anyone sees it.
 */
@Component
class ProxyCache implements PullThrough {

    private static final Logger log = LoggerFactory.getLogger(ProxyCache.class);
    private static final long FILL_WAIT_MINUTES = 30;

    private final RegistryEndpointService endpoints;
    private final RegistryService registry;
    private final BlobUploadService uploads;
    private final ProxyChecks checks;
    private final ProxyProperties properties;
    private final Clock clock;
    private final ConcurrentMap<String, CompletableFuture<BlobInfo>> fills = new ConcurrentHashMap<>();

    ProxyCache(RegistryEndpointService endpoints, RegistryService registry, BlobUploadService uploads, ProxyChecks checks,
               ProxyProperties properties, Clock clock) {
        this.endpoints = endpoints;
        this.registry = registry;
        this.uploads = uploads;
        this.checks = checks;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void refreshManifest(long registryId, RepositoryName repository, Reference reference, List<String> accept) {
        UpstreamClient upstream = endpoints.client(registryId);
        String source = upstreamName(upstream, repository);
        List<String> types = accept.isEmpty() ? UpstreamClient.MANIFEST_MEDIA_TYPES : accept;
        Caller system = system();
        if (reference.isDigest()) {
            try {
                Manifest manifest = upstream.getManifest(source, reference.digest().toString(), types);
                registry.cacheManifest(system, repository, reference, manifest.mediaType(), manifest.bytes());
            } catch (UpstreamException e) {
                throw unknown(repository, reference, e);
            }
            return;
        }
        String tag = reference.tag();
        Optional<String> cached = cachedDigest(system, repository, reference);
        Instant now = clock.instant();
        if (cached.isPresent() && checks.find(repository.value(), tag)
            .filter(c -> c.digest().equals(cached.get()) && c.checkedAt().plus(properties.tagTtl()).isAfter(now)).isPresent()) {
            return; // checked within the TTL: no upstream request
        }
        try {
            Optional<ManifestHead> head = upstream.headManifest(source, tag, types);
            if (head.isEmpty()) {
                if (cached.isPresent()) {
                    return; // gone upstream; what was cached stays served
                }
                throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, repository + ":" + tag + " is not in the upstream registry");
            }
            String digest = head.get().digest() == null ? null : head.get().digest().toString();
            if (digest == null || cached.filter(digest::equals).isEmpty()) {
                Manifest manifest = upstream.getManifest(source, digest != null ? digest : tag, types);
                registry.cacheManifest(system, repository, reference, manifest.mediaType(), manifest.bytes());
                digest = manifest.digest().toString();
            }
            checks.record(repository.value(), tag, digest, now);
        } catch (UpstreamException e) {
            if (cached.isPresent()) {
                log.info("Serving cached {}:{}: the upstream could not be asked ({})", repository, tag, e.getMessage());
                return;
            }
            throw unknown(repository, reference, e);
        }
    }

    @Override
    public BlobInfo fetchBlob(long registryId, RepositoryName repository, Digest digest) {
        CompletableFuture<BlobInfo> mine = new CompletableFuture<>();
        CompletableFuture<BlobInfo> running = fills.putIfAbsent(digest.toString(), mine);
        Caller system = system();
        if (running != null) {
            try {
                BlobInfo blob = running.get(FILL_WAIT_MINUTES, TimeUnit.MINUTES);
                return uploads.put(system, repository, digest, blob.size(), () -> {
                    throw new IllegalStateException("stored by the fill just waited for");
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + ": interrupted");
            } catch (ExecutionException | TimeoutException e) {
                // the other fill failed: try it here
            }
        }
        try {
            UpstreamClient upstream = endpoints.client(registryId);
            String source = upstreamName(upstream, repository);
            long size = upstream.headBlob(source, digest)
                .orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + " is not in the upstream registry"));
            BlobInfo blob = uploads.put(system, repository, digest, size, () -> upstream.openBlob(source, digest, size));
            mine.complete(blob);
            return blob;
        } catch (UpstreamException e) {
            mine.completeExceptionally(e);
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + ": the upstream registry could not be asked (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            fills.remove(digest.toString(), mine);
        }
    }

    @Override
    public BlobInfo statBlob(long registryId, RepositoryName repository, Digest digest) {
        UpstreamClient upstream = endpoints.client(registryId);
        try {
            long size = upstream.headBlob(upstreamName(upstream, repository), digest)
                .orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + " is not in the upstream registry"));
            return new BlobInfo(digest, size);
        } catch (UpstreamException e) {
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + ": the upstream registry could not be asked (" + e.getMessage() + ")");
        }
    }

    private Optional<String> cachedDigest(Caller system, RepositoryName repository, Reference reference) {
        try {
            return Optional.of(registry.statManifest(system, repository, reference, List.of()).digest().toString());
        } catch (PlatformException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The repository's name upstream: without the project, and on Docker Hub with {@code library/} for single names. */
    static String upstreamName(UpstreamClient upstream, RepositoryName repository) {
        String name = repository.value();
        int slash = name.indexOf('/');
        if (slash < 0) {
            throw new PlatformException(ErrorCode.NAME_UNKNOWN, name + ": a proxy-cache project holds <project>/<upstream name>");
        }
        String source = name.substring(slash + 1);
        return upstream.registry().kind() == UpstreamRegistry.Kind.DOCKER_HUB && !source.contains("/")
            ? "library/" + source : source;
    }

    private static PlatformException unknown(RepositoryName repository, Reference reference, UpstreamException e) {
        return new PlatformException(ErrorCode.MANIFEST_UNKNOWN, repository + (reference.isDigest() ? "@" : ":") + reference
            + " is not cached and the upstream registry could not provide it (" + e.getMessage() + ")");
    }

    private static Caller system() {
        return Caller.of(Principal.system("proxy-cache"), null);
    }
}
