package io.wharf.replication.endpoint;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.replication.upstream.Ping;
import io.wharf.replication.upstream.UpstreamClient;
import io.wharf.replication.upstream.UpstreamClients;
import io.wharf.replication.upstream.UpstreamProperties;
import io.wharf.replication.upstream.UpstreamRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Managing registry endpoints; every use case is for system administrators only. Secrets are
 * encrypted with {@link SecretCipher} (the endpoint's id as associated data) and never returned.
 * An endpoint that a policy uses cannot be deleted ({@link ErrorCode#PRECONDITION}, as Harbor).
 */
@Service
public class RegistryEndpointService {

    private static final Map<String, String> SORT_KEYS = Map.of("name", "name", "creation_time", "createdAt",
        "update_time", "updatedAt", "id", "id");
    /** The upstream id of unsaved endpoints under test; its tokens are forgotten after each test. */
    private static final String TEST_CONNECTION = "test-connection";
    private static final Sort DEFAULT_SORT = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final RegistryEndpointRepository endpoints;
    private final SecretCipher cipher;
    private final AccessPolicy policy;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final UpstreamClients clients;
    private final UpstreamProperties properties;

    RegistryEndpointService(RegistryEndpointRepository endpoints, SecretCipher cipher, AccessPolicy policy,
                            ApplicationEventPublisher events, Clock clock, UpstreamClients clients,
                            UpstreamProperties properties) {
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
        this.clients = clients;
        this.properties = properties;
    }

    /**
     * What "test connection" found.
     *
     * @param healthy whether the registry answered and accepted the credentials (or needs none)
     */
    public record Health(boolean healthy, boolean reachable, boolean credentialsValid, String message) {
    }

    /** The endpoints whose name matches Harbor's {@code q} ({@code name=x} or {@code name=~x}), paged. */
    @Transactional(readOnly = true)
    public Page<RegistryEndpoint> list(Caller caller, @Nullable String q, @Nullable String sort, Pageable pageable) {
        policy.requireSysadmin(caller);
        TextMatch names = HarborQuery.parse(q, Set.of("name")).match("name");
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
            HarborQuery.sort(sort, SORT_KEYS, DEFAULT_SORT));
        return endpoints.search(names.pattern(), names.anyValue(), names.values(), sorted).map(RegistryEndpointEntity::view);
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id */
    @Transactional(readOnly = true)
    public RegistryEndpoint get(Caller caller, long id) {
        policy.requireSysadmin(caller);
        return entity(id).view();
    }

    /**
     * Creates an endpoint.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name or URL,
     *         {@link ErrorCode#CONFLICT} when the name is taken
     */
    @Transactional
    public RegistryEndpoint create(Caller caller, EndpointSpec spec) {
        policy.requireSysadmin(caller);
        if (endpoints.findByName(spec.name().trim()).isPresent()) {
            throw new PlatformException(ErrorCode.CONFLICT, "a registry named " + spec.name().trim() + " exists");
        }
        RegistryEndpointEntity entity = new RegistryEndpointEntity(OffsetDateTime.now(clock));
        apply(entity, spec);
        endpoints.saveAndFlush(entity);
        setSecret(entity, spec.accessKey(), spec.accessSecret());
        events.publishEvent(new RegistryEndpointChanged(caller.name(), caller.remoteAddr(), clock.instant(), "create", entity.name));
        return entity.view();
    }

    /**
     * Changes an endpoint; a null secret keeps the stored one, an empty user name makes it anonymous.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#CONFLICT}
     */
    @Transactional
    public RegistryEndpoint update(Caller caller, long id, EndpointSpec spec) {
        policy.requireSysadmin(caller);
        RegistryEndpointEntity entity = entity(id);
        endpoints.findByName(spec.name().trim()).filter(other -> !other.id.equals(entity.id)).ifPresent(other -> {
            throw new PlatformException(ErrorCode.CONFLICT, "a registry named " + spec.name().trim() + " exists");
        });
        apply(entity, spec);
        entity.updatedAt = OffsetDateTime.now(clock);
        setSecret(entity, spec.accessKey(), spec.accessSecret() != null ? spec.accessSecret() : storedSecret(entity));
        clients.evict(upstreamId(id)); // URL or credentials may have changed: forget tokens and challenge
        events.publishEvent(new RegistryEndpointChanged(caller.name(), caller.remoteAddr(), clock.instant(), "update", entity.name));
        return entity.view();
    }

    /**
     * Deletes an endpoint.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#PRECONDITION} while a policy uses it
     */
    @Transactional
    public void delete(Caller caller, long id) {
        policy.requireSysadmin(caller);
        RegistryEndpointEntity entity = entity(id);
        try {
            endpoints.delete(entity);
            endpoints.flush();
        } catch (DataIntegrityViolationException e) {
            throw new PlatformException(ErrorCode.PRECONDITION, "the registry " + entity.name
                + " is used by replication policies; delete or change them first");
        }
        clients.evict(upstreamId(id));
        events.publishEvent(new RegistryEndpointChanged(caller.name(), caller.remoteAddr(), clock.instant(), "delete", entity.name));
    }

    /** Tests the stored endpoint {@code id}: is it reachable, and do its credentials work. */
    public Health ping(Caller caller, long id) {
        policy.requireSysadmin(caller);
        return health(clients.client(upstream(entity(id))).ping());
    }

    /**
     * Tests an endpoint before it is saved (or with changed fields, {@code id} naming the stored one
     * whose secret is used when {@code spec} has none).
     */
    public Health ping(Caller caller, @Nullable Long id, EndpointSpec spec) {
        policy.requireSysadmin(caller);
        String secret = spec.accessSecret() != null || id == null ? spec.accessSecret() : storedSecret(entity(id));
        String user = spec.accessKey() == null || spec.accessKey().isBlank() ? null : spec.accessKey().trim();
        UpstreamRegistry registry = upstream(TEST_CONNECTION, spec.type(), normalizeUrl(spec.url()), user,
            user == null ? null : secret, spec.insecure());
        clients.evict(TEST_CONNECTION);
        try {
            return health(clients.client(registry).ping());
        } finally {
            clients.evict(TEST_CONNECTION);
        }
    }

    /** Endpoint {@code id}, for Wharf's own use (no caller): what a proxy-cache project's summary shows of its upstream. */
    @Transactional(readOnly = true)
    public Optional<RegistryEndpoint> find(long id) {
        return endpoints.findById(id).map(RegistryEndpointEntity::view);
    }

    /**
     * A client for endpoint {@code id}, for Wharf's own jobs (no caller).
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id
     */
    @Transactional(readOnly = true)
    public UpstreamClient client(long id) {
        return clients.client(upstream(entity(id)));
    }

    /**
     * A client for endpoint {@code id}, for requests a client is waiting on (proxy cache, mirror):
     * {@link UpstreamClients#interactive}.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown id
     */
    @Transactional(readOnly = true)
    public UpstreamClient interactiveClient(long id) {
        return clients.interactive(upstream(entity(id)));
    }

    private UpstreamRegistry upstream(RegistryEndpointEntity e) {
        return upstream(upstreamId(e.id), EndpointType.of(e.type),
            URI.create(e.url), e.accessKey, storedSecret(e), e.insecure);
    }

    /**
     * The client's view of an endpoint. A Docker Hub endpoint given as {@code https://hub.docker.com}
     * (as Harbor has it) talks to the registry at {@code registry-1.docker.io}; its repositories are
     * listed through {@code wharf.replication.docker-hub-api-url}.
     */
    private UpstreamRegistry upstream(String id, EndpointType type, URI url, @Nullable String user, @Nullable String secret,
                                      boolean insecure) {
        UpstreamRegistry.Kind kind = switch (type) {
            case DOCKER_HUB -> UpstreamRegistry.Kind.DOCKER_HUB;
            case DOCKER_REGISTRY -> UpstreamRegistry.Kind.DOCKER_REGISTRY;
            case HARBOR -> UpstreamRegistry.Kind.HARBOR;
            case WHARF -> UpstreamRegistry.Kind.WHARF;
        };
        URI registry = type == EndpointType.DOCKER_HUB && "hub.docker.com".equalsIgnoreCase(url.getHost())
            ? UpstreamRegistry.DOCKER_HUB_REGISTRY : url;
        return new UpstreamRegistry(id, kind, registry, type == EndpointType.DOCKER_HUB ? properties.dockerHubApiUrl() : null,
            user, secret, insecure);
    }

    private static Health health(Ping ping) {
        return new Health(ping.reachable() && ping.credentialsValid(), ping.reachable(), ping.credentialsValid(), ping.message());
    }

    private RegistryEndpointEntity entity(long id) {
        return endpoints.findById(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no registry with id " + id));
    }

    private @Nullable String storedSecret(RegistryEndpointEntity entity) {
        return entity.accessSecret == null ? null : cipher.decrypt(entity.accessSecret, purpose(entity.id));
    }

    private void setSecret(RegistryEndpointEntity entity, @Nullable String accessKey, @Nullable String secret) {
        boolean anonymous = accessKey == null || accessKey.isBlank();
        entity.accessKey = anonymous ? null : accessKey.trim();
        entity.accessSecret = anonymous || secret == null || secret.isEmpty() ? null : cipher.encrypt(secret, purpose(entity.id));
    }

    /** The upstream client's id of endpoint {@code id} (tokens, rate-limit state and metrics are kept per id). */
    private static String upstreamId(long id) {
        return "registry-" + id;
    }

    private static String purpose(long id) {
        return "registry:" + id;
    }

    private static void apply(RegistryEndpointEntity entity, EndpointSpec spec) {
        String name = spec.name().trim();
        if (name.isEmpty() || name.length() > 255) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a registry needs a name of 1 to 255 characters");
        }
        entity.name = name;
        entity.type = spec.type().id();
        entity.url = normalizeUrl(spec.url()).toString();
        entity.insecure = spec.insecure();
        entity.description = spec.description();
    }

    /**
     * The endpoint URL without a trailing slash.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} unless it is an absolute http(s) URL
     *         without user info, query or fragment
     */
    static URI normalizeUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "not a URL: " + url);
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase())
            || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "a registry URL is http(s)://host[:port][/path], without credentials, query or fragment: " + url);
        }
        return uri;
    }
}
