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
import jakarta.annotation.PreDestroy;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fills proxy-cache projects from their upstream (docs/proxy.md). Tags are compared with the upstream
 * by HEAD, at most once per {@code wharf.proxy.tag-ttl} (free on Docker Hub); only a changed or
 * missing manifest is fetched, and stored byte for byte under its upstream digest. When the upstream
 * cannot be asked (down, erroring, rate limited), what is cached is served. Concurrent pulls of one
 * manifest ask the upstream once. Blobs are fetched once per digest however many clients ask at once
 * on this node, and all of them read the bytes as they arrive ({@link BlobFill}). Content is verified
 * by its digest before it enters the cache. How each client's request was answered (hit, miss, stale,
 * coalesced) and the bytes fetched are counted in {@link ProxyStatistics}.
 */
@Component
class ProxyCache implements PullThrough {

    private static final Logger log = LoggerFactory.getLogger(ProxyCache.class);

    private final RegistryEndpointService endpoints;
    private final RegistryService registry;
    private final BlobUploadService uploads;
    private final ProxyChecks checks;
    private final ProxyProperties properties;
    private final ProxyStatistics statistics;
    private final Clock clock;
    private static final long REFRESH_WAIT_SECONDS = 120;

    /** Manifest refreshes in flight on this node (concurrent pulls of one tag ask upstream once). */
    private final ConcurrentMap<String, CompletableFuture<Void>> refreshes = new ConcurrentHashMap<>();
    /** Blob downloads in flight on this node, by digest. */
    private final ConcurrentMap<String, BlobFill> fills = new ConcurrentHashMap<>();
    private final ExecutorService downloads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "proxy-cache-fill");
        thread.setDaemon(true);
        return thread;
    });

    ProxyCache(RegistryEndpointService endpoints, RegistryService registry, BlobUploadService uploads, ProxyChecks checks,
               ProxyProperties properties, ProxyStatistics statistics, Clock clock) {
        this.endpoints = endpoints;
        this.registry = registry;
        this.uploads = uploads;
        this.checks = checks;
        this.properties = properties;
        this.statistics = statistics;
        this.clock = clock;
    }

    @Override
    public void refreshManifest(long registryId, RepositoryName repository, Reference reference, List<String> accept) {
        String key = registryId + " " + repository + " " + reference + " " + accept;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = refreshes.putIfAbsent(key, mine);
        if (running != null) {
            try {
                running.get(REFRESH_WAIT_SECONDS, TimeUnit.SECONDS); // the same question is being asked upstream: its answer serves
                statistics.count(repository, ProxyStatistics.Outcome.COALESCED);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof PlatformException answer) {
                    throw answer;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, repository + ":" + reference + ": interrupted");
            } catch (TimeoutException slow) {
                // ask again below
            }
            refresh(registryId, repository, reference, accept);
            return;
        }
        try {
            refresh(registryId, repository, reference, accept);
            mine.complete(null);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            refreshes.remove(key, mine);
        }
    }

    private void refresh(long registryId, RepositoryName repository, Reference reference, List<String> accept) {
        UpstreamClient upstream = endpoints.interactiveClient(registryId);
        String source = upstreamName(upstream, repository);
        List<String> types = accept.isEmpty() ? UpstreamClient.MANIFEST_MEDIA_TYPES : accept;
        Caller system = system();
        if (reference.isDigest()) {
            try {
                Manifest manifest = upstream.getManifest(source, reference.digest().toString(), types);
                registry.cacheManifest(system, repository, reference, manifest.mediaType(), manifest.bytes());
                fetched(repository, manifest);
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
            statistics.count(repository, ProxyStatistics.Outcome.HIT);
            return; // checked within the TTL: no upstream request
        }
        try {
            Optional<ManifestHead> head = upstream.headManifest(source, tag, types);
            if (head.isEmpty()) {
                if (cached.isPresent()) {
                    statistics.count(repository, ProxyStatistics.Outcome.STALE);
                    return; // gone upstream; what was cached stays served
                }
                throw new PlatformException(ErrorCode.MANIFEST_UNKNOWN, repository + ":" + tag + " is not in the upstream registry");
            }
            String digest = head.get().digest() == null ? null : head.get().digest().toString();
            if (digest == null || cached.filter(digest::equals).isEmpty()) {
                Manifest manifest = upstream.getManifest(source, digest != null ? digest : tag, types);
                registry.cacheManifest(system, repository, reference, manifest.mediaType(), manifest.bytes());
                digest = manifest.digest().toString();
                fetched(repository, manifest);
            } else {
                statistics.count(repository, ProxyStatistics.Outcome.HIT);
            }
            checks.record(repository.value(), tag, digest, now);
        } catch (UpstreamException e) {
            if (cached.isPresent()) {
                log.info("Serving cached {}:{}: the upstream could not be asked ({})", repository, tag, e.getMessage());
                statistics.count(repository, ProxyStatistics.Outcome.STALE);
                return;
            }
            throw unknown(repository, reference, e);
        }
    }

    @Override
    public Optional<Arriving> fetchBlob(long registryId, RepositoryName repository, Digest digest) {
        BlobFill running = fills.get(digest.toString());
        if (running != null && running.join(repository)) {
            statistics.count(repository, ProxyStatistics.Outcome.COALESCED);
            return Optional.of(running); // one download, however many ask
        }
        Caller system = system();
        if (registry.linkedBlob(system, repository, digest).isPresent()) {
            // the download this client could have joined has just ended (the caller looked for the link before it did)
            statistics.count(repository, ProxyStatistics.Outcome.HIT);
            return Optional.empty();
        }
        UpstreamClient upstream = endpoints.interactiveClient(registryId);
        String source = upstreamName(upstream, repository);
        long size = upstreamSize(upstream, source, digest);
        if (uploads.linkStored(system, repository, digest, size < 0 ? null : size).isPresent()) {
            statistics.count(repository, ProxyStatistics.Outcome.HIT);
            return Optional.empty(); // held for another repository: never downloaded twice
        }
        if (size < 0) {
            // no size upstream, so nothing to stream with: store it whole, then serve it from the cache
            statistics.count(repository, ProxyStatistics.Outcome.MISS);
            BlobInfo stored = uploads.put(system, repository, digest, null, () -> upstream.openBlob(source, digest, -1));
            statistics.fetched(repository, stored.size());
            return Optional.empty();
        }
        BlobFill fill = new BlobFill(new BlobInfo(digest, size), properties.spoolDirectory());
        BlobFill raced = fills.putIfAbsent(digest.toString(), fill);
        if (raced != null) {
            fill.discard();
            if (raced.join(repository)) {
                statistics.count(repository, ProxyStatistics.Outcome.COALESCED);
                return Optional.of(raced);
            }
            return fetchBlob(registryId, repository, digest);
        }
        fill.join(repository);
        statistics.count(repository, ProxyStatistics.Outcome.MISS);
        try {
            downloads.execute(() -> download(fill, upstream, source));
        } catch (RejectedExecutionException stopping) {
            fills.remove(digest.toString(), fill);
            fill.failed(stopping);
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + ": Wharf is stopping");
        }
        return Optional.of(fill);
    }

    /** Runs on {@link #downloads}: the fill goes on when every client has gone. */
    private void download(BlobFill fill, UpstreamClient upstream, String source) {
        Digest digest = fill.blob().digest();
        long size = fill.blob().size();
        Caller system = system();
        try {
            List<RepositoryName> repositories = fill.startLinking();
            uploads.put(system, repositories.get(0), digest, size, () -> fill.tee(upstream.openBlob(source, digest, size)));
            for (RepositoryName other : repositories.subList(1, repositories.size())) {
                uploads.linkStored(system, other, digest, size);
            }
            statistics.fetched(repositories.get(0), size); // before the readers get the last byte
            fill.succeeded();
        } catch (RuntimeException e) {
            log.warn("Fetching {} from {} failed: {}", digest, upstream.registry().url(), e.getMessage());
            fill.failed(e);
        } finally {
            fills.remove(digest.toString(), fill);
        }
    }

    @Override
    public BlobInfo statBlob(long registryId, RepositoryName repository, Digest digest) {
        BlobFill running = fills.get(digest.toString());
        if (running != null) {
            return running.blob();
        }
        UpstreamClient upstream = endpoints.interactiveClient(registryId);
        return new BlobInfo(digest, upstreamSize(upstream, upstreamName(upstream, repository), digest));
    }

    /** The blob's size upstream (-1 when the upstream does not say), by HEAD. */
    private static long upstreamSize(UpstreamClient upstream, String source, Digest digest) {
        try {
            return upstream.headBlob(source, digest)
                .orElseThrow(() -> new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + " is not in the upstream registry"));
        } catch (UpstreamException e) {
            throw new PlatformException(ErrorCode.BLOB_UNKNOWN, digest + ": the upstream registry could not be asked (" + e.getMessage() + ")");
        }
    }

    @Override
    public void servedFromCache(long registryId, RepositoryName repository) {
        statistics.count(repository, ProxyStatistics.Outcome.HIT);
    }

    @PreDestroy
    void stop() {
        downloads.shutdownNow();
    }

    private void fetched(RepositoryName repository, Manifest manifest) {
        statistics.count(repository, ProxyStatistics.Outcome.MISS);
        statistics.fetched(repository, manifest.bytes().length);
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
