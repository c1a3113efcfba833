package io.wharf.scanner.registration;

import io.wharf.core.HarborQuery;
import io.wharf.core.TextMatch;
import io.wharf.core.crypto.SecretCipher;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import io.wharf.scanner.client.AdapterEndpoint;
import io.wharf.scanner.client.AdapterMetadata;
import io.wharf.scanner.client.AuthType;
import io.wharf.scanner.client.ScannerAdapterClient;
import io.wharf.scanner.client.ScannerAdapterClients;
import io.wharf.scanner.client.ScannerAdapterException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Managing scanner registrations (system administrators) and each project's scanner (project
 * administrators set it, members read it).
 *
 * <ul>
 *   <li>Creating or changing a registration first fetches the adapter's metadata with the given
 *       settings, as Harbor does: an adapter that cannot be reached, refuses the credential or sends
 *       no valid metadata is refused ({@link ErrorCode#INVALID_ARGUMENT}), and the scanner's name,
 *       vendor and version are kept with the registration.</li>
 *   <li>The first registration becomes the default (Harbor). Exactly one registration is the default
 *       once any exists: {@link #setDefault} moves the flag in one transaction, and the database's
 *       unique {@code is_default} column keeps concurrent moves from leaving two.</li>
 *   <li>The default cannot be deleted while other registrations exist ({@link ErrorCode#PRECONDITION}):
 *       another must be made the default first, so projects never lose their fallback silently.</li>
 *   <li>Credentials are encrypted with {@link SecretCipher} (the registration's uuid as associated
 *       data) and never returned.</li>
 * </ul>
 *
 * Adapters are called outside database transactions, so a slow adapter never holds a connection.
 */
@Service
public class ScannerRegistrationService {

    private static final Map<String, String> SORT_KEYS = Map.of("name", "name", "url", "url",
        "create_time", "createdAt", "update_time", "updatedAt");
    private static final Sort DEFAULT_SORT = Sort.by(Sort.Order.asc("createdAt"), Sort.Order.asc("id"));

    private final ScannerRegistrationRepository registrations;
    private final ProjectScannerRepository projectScanners;
    private final SecretCipher cipher;
    private final AccessPolicy policy;
    private final ProjectService projects;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ScannerAdapterClients clients;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;

    ScannerRegistrationService(ScannerRegistrationRepository registrations, ProjectScannerRepository projectScanners,
                               SecretCipher cipher, AccessPolicy policy, ProjectService projects,
                               ApplicationEventPublisher events, Clock clock, ScannerAdapterClients clients,
                               PlatformTransactionManager transactions) {
        this.registrations = registrations;
        this.projectScanners = projectScanners;
        this.cipher = cipher;
        this.policy = policy;
        this.projects = projects;
        this.events = events;
        this.clock = clock;
        this.clients = clients;
        this.transaction = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * A project's scanner and whether its adapter answered just now.
     *
     * @param healthy whether the adapter answered with valid metadata
     */
    public record ProjectScanner(ScannerRegistration registration, boolean healthy) {
    }

    /** The registrations matching Harbor's {@code q} ({@code name}, {@code url}), paged; oldest first unless sorted. */
    public Page<ScannerRegistration> list(Caller caller, @Nullable String q, @Nullable String sort, Pageable pageable) {
        policy.requireSysadmin(caller);
        return search(q, sort, pageable);
    }

    /**
     * The registrations project {@code nameOrId} may pick (Harbor's {@code scanner/candidates}), as
     * {@link #list}; for the project's administrators, who cannot list registrations otherwise.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project
     */
    public Page<ScannerRegistration> candidates(Caller caller, String nameOrId, @Nullable String q, @Nullable String sort,
                                                Pageable pageable) {
        policy.require(caller, projects.get(nameOrId), Role.Capability.MANAGE);
        return search(q, sort, pageable);
    }

    private Page<ScannerRegistration> search(@Nullable String q, @Nullable String sort, Pageable pageable) {
        HarborQuery query = HarborQuery.parse(q, Set.of("name", "url"));
        TextMatch names = query.match("name");
        TextMatch urls = query.match("url");
        Pageable sorted = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
            HarborQuery.sort(sort, SORT_KEYS, DEFAULT_SORT));
        return readOnly.execute(s -> registrations.search(names.pattern(), names.anyValue(), names.values(),
            urls.pattern(), urls.anyValue(), urls.values(), sorted).map(ScannerRegistrationEntity::view));
    }

    /** @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown uuid */
    public ScannerRegistration get(Caller caller, String uuid) {
        policy.requireSysadmin(caller);
        return readOnly.execute(s -> entity(uuid).view());
    }

    /**
     * Registers an adapter; with {@code validate}, only after its metadata was fetched with these settings.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for a bad name, URL, auth or an adapter
     *         that fails validation; {@link ErrorCode#CONFLICT} when the name is taken
     */
    public ScannerRegistration create(Caller caller, RegistrationSpec spec, boolean validate) {
        policy.requireSysadmin(caller);
        RegistrationSpec checked = check(spec, null);
        AdapterMetadata metadata = validate ? validate(endpoint(checked, checked.credential())) : null;
        ScannerRegistration created = saving(checked.name(), () -> transaction.execute(s -> {
            requireFreeName(checked.name(), null);
            ScannerRegistrationEntity entity = new ScannerRegistrationEntity(UUID.randomUUID().toString(),
                OffsetDateTime.now(clock));
            apply(entity, checked, checked.credential(), metadata);
            registrations.saveAndFlush(entity);
            if (registrations.findByIsDefaultTrue().isEmpty()) {
                registrations.markDefault(entity.id); // the first registration is the default, as in Harbor
            }
            events.publishEvent(new ScannerRegistrationChanged(caller.name(), caller.remoteAddr(), clock.instant(),
                "create", checked.name(), null));
            return entity(entity.uuid).view();
        }));
        return created;
    }

    /**
     * Changes a registration; a null credential keeps the stored one (unless auth becomes none). The
     * adapter is validated with the new settings first.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#CONFLICT}
     */
    public ScannerRegistration update(Caller caller, String uuid, RegistrationSpec spec) {
        policy.requireSysadmin(caller);
        String stored = readOnly.execute(s -> storedCredential(entity(uuid)));
        RegistrationSpec checked = check(spec, stored);
        String credential = checked.auth() == AuthType.NONE ? null : checked.credential() != null ? checked.credential() : stored;
        AdapterMetadata metadata = validate(endpoint(checked, credential));
        return saving(checked.name(), () -> transaction.execute(s -> {
            ScannerRegistrationEntity entity = entity(uuid);
            requireFreeName(checked.name(), entity.id);
            apply(entity, checked, credential, metadata);
            entity.updatedAt = OffsetDateTime.now(clock);
            registrations.saveAndFlush(entity);
            events.publishEvent(new ScannerRegistrationChanged(caller.name(), caller.remoteAddr(), clock.instant(),
                "update", entity.name, null));
            return entity.view();
        }));
    }

    /**
     * Deletes a registration; projects that used it fall back to the default.
     *
     * @return the deleted registration, as Harbor answers
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#PRECONDITION} for the default
     *         while other registrations exist
     */
    public ScannerRegistration delete(Caller caller, String uuid) {
        policy.requireSysadmin(caller);
        return transaction.execute(s -> {
            ScannerRegistrationEntity entity = entity(uuid);
            if (Boolean.TRUE.equals(entity.isDefault) && registrations.count() > 1) {
                throw new PlatformException(ErrorCode.PRECONDITION, "the scanner " + entity.name
                    + " is the default; make another scanner the default before deleting it");
            }
            ScannerRegistration view = entity.view();
            registrations.delete(entity);
            registrations.flush();
            events.publishEvent(new ScannerRegistrationChanged(caller.name(), caller.remoteAddr(), clock.instant(),
                "delete", entity.name, null));
            return view;
        });
    }

    /**
     * Makes {@code uuid} the one default registration, in one transaction.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#CONFLICT} when another
     *         administrator moved the default at the same moment (ask again)
     */
    public ScannerRegistration setDefault(Caller caller, String uuid) {
        policy.requireSysadmin(caller);
        try {
            return transaction.execute(s -> {
                ScannerRegistrationEntity entity = entity(uuid);
                if (!Boolean.TRUE.equals(entity.isDefault)) {
                    registrations.clearDefault();
                    registrations.markDefault(entity.id);
                    events.publishEvent(new ScannerRegistrationChanged(caller.name(), caller.remoteAddr(), clock.instant(),
                        "update", entity.name, "is_default=true"));
                }
                return entity(uuid).view();
            });
        } catch (DataIntegrityViolationException e) {
            throw new PlatformException(ErrorCode.CONFLICT, "the default scanner was changed concurrently; try again");
        }
    }

    /**
     * Fetches the metadata of an adapter that is not (or not yet) registered.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} for bad settings or when the adapter
     *         cannot be reached, refuses the credential or sends no valid metadata (the message says which)
     */
    public AdapterMetadata ping(Caller caller, RegistrationSpec spec) {
        policy.requireSysadmin(caller);
        RegistrationSpec checked = check(spec, null);
        return validate(endpoint(checked, checked.credential()));
    }

    /**
     * The metadata of registered adapter {@code uuid}, fetched now.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND}; {@link ErrorCode#UNKNOWN} with status 502 when the
     *         adapter fails
     */
    public AdapterMetadata metadata(Caller caller, String uuid) {
        policy.requireSysadmin(caller);
        ScannerAdapterClient client = client(uuid);
        try {
            return client.metadata();
        } catch (ScannerAdapterException e) {
            throw new PlatformException(ErrorCode.UNKNOWN, 502, e.getMessage());
        }
    }

    /**
     * The scanner of project {@code nameOrId}: its own registration, else the default; with the adapter's
     * health, asked now. For members of the project (and system administrators).
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project or when no scanner is
     *         registered; {@link ErrorCode#UNAUTHORIZED}/{@link ErrorCode#DENIED}
     */
    public ProjectScanner projectScanner(Caller caller, String nameOrId) {
        Project project = projects.get(nameOrId);
        policy.require(caller, project, Role.Capability.READ_MEMBERS);
        record Found(ScannerRegistration registration, AdapterEndpoint endpoint) {
        }
        Found found = readOnly.execute(s -> registrationOf(project.id())
            .map(e -> new Found(e.view(), endpoint(e)))
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no scanner is registered")));
        boolean healthy;
        try {
            clients.client(found.endpoint()).metadata();
            healthy = true;
        } catch (ScannerAdapterException e) {
            healthy = false;
        }
        return new ProjectScanner(found.registration(), healthy);
    }

    /**
     * Sets the scanner of project {@code nameOrId}; project administrators and system administrators.
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project or registration
     */
    public void setProjectScanner(Caller caller, String nameOrId, String uuid) {
        Project project = projects.get(nameOrId);
        policy.require(caller, project, Role.Capability.MANAGE);
        transaction.executeWithoutResult(s -> {
            ScannerRegistrationEntity entity = entity(uuid);
            ProjectScannerEntity row = projectScanners.findById(project.id()).orElseGet(() -> new ProjectScannerEntity(project.id(), entity.id));
            row.registrationId = entity.id;
            projectScanners.save(row);
            events.publishEvent(new ProjectScannerChanged(caller.name(), caller.remoteAddr(), clock.instant(), project.name(),
                "scanner " + entity.name));
        });
    }

    /** The registration project {@code projectId} scans with (its own, else the default), for Wharf's own jobs. */
    public Optional<ScannerRegistration> scannerOf(long projectId) {
        return readOnly.execute(s -> registrationOf(projectId).map(ScannerRegistrationEntity::view));
    }

    /**
     * A client for registration {@code uuid}, for Wharf's own jobs (no caller).
     *
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown uuid
     */
    public ScannerAdapterClient client(String uuid) {
        return clients.client(readOnly.execute(s -> endpoint(entity(uuid))));
    }

    private Optional<ScannerRegistrationEntity> registrationOf(long projectId) {
        return projectScanners.findById(projectId).flatMap(row -> registrations.findById(row.registrationId))
            .or(registrations::findByIsDefaultTrue);
    }

    private AdapterMetadata validate(AdapterEndpoint endpoint) {
        try {
            return clients.client(endpoint).metadata();
        } catch (ScannerAdapterException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the scanner adapter failed validation: " + e.getMessage());
        }
    }

    private ScannerRegistration saving(String name, java.util.function.Supplier<ScannerRegistration> save) {
        try {
            return save.get();
        } catch (DataIntegrityViolationException e) {
            throw new PlatformException(ErrorCode.CONFLICT, "a scanner named " + name + " exists");
        }
    }

    private void requireFreeName(String name, @Nullable Long self) {
        registrations.findByName(name).filter(other -> !other.id.equals(self)).ifPresent(other -> {
            throw new PlatformException(ErrorCode.CONFLICT, "a scanner named " + name + " exists");
        });
    }

    private ScannerRegistrationEntity entity(String uuid) {
        return registrations.findByUuid(uuid)
            .orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no scanner with id " + uuid));
    }

    private AdapterEndpoint endpoint(ScannerRegistrationEntity e) {
        return new AdapterEndpoint(URI.create(e.url), AuthType.of(e.auth), storedCredential(e), e.skipCertVerify);
    }

    private static AdapterEndpoint endpoint(RegistrationSpec spec, @Nullable String credential) {
        return new AdapterEndpoint(normalizeUrl(spec.url()), spec.auth(), credential, spec.skipCertVerify());
    }

    private @Nullable String storedCredential(ScannerRegistrationEntity entity) {
        return entity.accessCredential == null ? null : cipher.decrypt(entity.accessCredential, purpose(entity.uuid));
    }

    private void apply(ScannerRegistrationEntity entity, RegistrationSpec spec, @Nullable String credential,
                       @Nullable AdapterMetadata metadata) {
        entity.name = spec.name();
        entity.description = spec.description();
        entity.url = normalizeUrl(spec.url()).toString();
        entity.auth = spec.auth().id();
        entity.accessCredential = spec.auth() == AuthType.NONE || credential == null || credential.isEmpty()
            ? null : cipher.encrypt(credential, purpose(entity.uuid));
        entity.skipCertVerify = spec.skipCertVerify();
        entity.useInternalAddr = spec.useInternalAddr();
        entity.disabled = spec.disabled();
        if (metadata != null) {
            entity.adapter = metadata.scanner().name();
            entity.vendor = metadata.scanner().vendor();
            entity.version = metadata.scanner().version();
        }
    }

    /**
     * The spec with its name trimmed, after the checks every save and ping makes.
     *
     * @param stored the stored credential on an update, which a spec without one keeps
     */
    private static RegistrationSpec check(RegistrationSpec spec, @Nullable String stored) {
        String name = spec.name() == null ? "" : spec.name().trim();
        if (name.isEmpty() || name.length() > 255) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a scanner needs a name of 1 to 255 characters");
        }
        normalizeUrl(spec.url());
        String credential = spec.credential() == null || spec.credential().isEmpty() ? null : spec.credential();
        if (spec.auth() != AuthType.NONE && credential == null && stored == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "auth " + spec.auth().id() + " needs an access_credential");
        }
        if (spec.auth() == AuthType.BASIC && credential != null && !credential.contains(":")) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a Basic access_credential is username:password");
        }
        return new RegistrationSpec(name, spec.description(), spec.url(), spec.auth(), credential, spec.skipCertVerify(),
            spec.useInternalAddr(), spec.disabled());
    }

    private static String purpose(String uuid) {
        return "scanner:" + uuid;
    }

    /**
     * The adapter URL without a trailing slash.
     *
     * @throws PlatformException {@link ErrorCode#INVALID_ARGUMENT} unless it is an absolute http(s) URL
     *         without user info, query or fragment
     */
    static URI normalizeUrl(@Nullable String url) {
        if (url == null || url.isBlank()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a scanner needs a url");
        }
        URI uri;
        try {
            uri = URI.create(url.trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "not a URL: " + url);
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
            || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT,
                "a scanner URL is http(s)://host[:port][/path], without credentials, query or fragment: " + url);
        }
        return uri;
    }
}
