package io.wharf.scanner.trigger;

import io.wharf.core.artifact.Artifact;
import io.wharf.core.artifact.ArtifactService;
import io.wharf.core.artifact.ScanFailed;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.AccessPolicy;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.ProjectSettingsService;
import io.wharf.core.iam.Role;
import io.wharf.core.iam.ScanCredentialService;
import io.wharf.core.registry.ArtifactPushed;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Starting and stopping scans: on demand ({@link #scan}, {@link #stop}; Harbor's {@code scan} create
 * and stop, for project administrators, maintainers and system administrators) and on push
 * ({@link #onPush}, when the project's {@code auto_scan} is true). An index is scanned as its image
 * children, each its own job. Jobs are deduplicated per digest and scanner; on push, a digest the
 * scanner already reported on is not scanned again.
 */
@Service
public class ScanService {

    /** The manifest types adapters scan (Harbor's trivy adapter consumes these). */
    static final Set<String> SCANNABLE = MediaTypes.IMAGE_MANIFESTS;

    private static final Logger log = LoggerFactory.getLogger(ScanService.class);
    private static final Caller SYSTEM = Caller.of(Principal.system("scanner"), null);

    private final ScanQueue queue;
    private final ArtifactService artifacts;
    private final ProjectService projects;
    private final ProjectSettingsService settings;
    private final AccessPolicy policy;
    private final ScannerRegistrationService registrations;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;
    private final ScanCredentialService credentials;
    private final ScanMeters meters;

    ScanService(ScanCredentialService credentials, ScanQueue queue, ArtifactService artifacts, ProjectService projects, ProjectSettingsService settings,
                AccessPolicy policy, ScannerRegistrationService registrations, ApplicationEventPublisher events, Clock clock,
                PlatformTransactionManager transactions, JdbcTemplate jdbc, ScanMeters meters) {
        this.queue = queue;
        this.artifacts = artifacts;
        this.projects = projects;
        this.settings = settings;
        this.policy = policy;
        this.registrations = registrations;
        this.events = events;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.jdbc = jdbc;
        this.credentials = credentials;
        this.meters = meters;
    }

    /**
     * Queues a scan of artifact {@code reference} (a tag or digest) of {@code repository}, or of each
     * image of an index; a digest already queued or running is not queued twice.
     *
     * @return the uuids of the jobs (new or already live)
     * @throws PlatformException {@link ErrorCode#NOT_FOUND} for an unknown project or artifact;
     *         {@link ErrorCode#UNAUTHORIZED}/{@link ErrorCode#DENIED} without the {@code SCAN} capability;
     *         {@link ErrorCode#PRECONDITION} when the project has no (enabled) scanner;
     *         {@link ErrorCode#INVALID_ARGUMENT} for an artifact that is not an image
     */
    public List<String> scan(Caller caller, RepositoryName repository, String reference) {
        return scan(caller, repository, reference, ScanType.VULNERABILITY);
    }

    /** As {@link #scan(Caller, RepositoryName, String)}, for a scan of {@code type}. */
    public List<String> scan(Caller caller, RepositoryName repository, String reference, ScanType type) {
        Artifact artifact = authorized(caller, repository, reference);
        ScannerRegistration registration = scanner(artifact.projectId());
        long registrationId = registrationId(registration);
        List<ScanQueue.Target> targets = targets(artifact);
        if (targets.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "the artifact " + reference + " of type "
                + artifact.manifestMediaType() + " is not an image Wharf can scan");
        }
        List<String> jobs = new ArrayList<>();
        for (ScanQueue.Target target : targets) {
            jobs.add(transaction.execute(s -> queue.enqueue(registrationId, target, type, "manual", caller.name(), clock.instant())));
        }
        return jobs;
    }

    /**
     * Stops the live scans of artifact {@code reference} (of each image of an index).
     *
     * @throws PlatformException as {@link #scan}; {@link ErrorCode#NOT_FOUND} when no scan is pending or running
     */
    public void stop(Caller caller, RepositoryName repository, String reference) {
        stop(caller, repository, reference, ScanType.VULNERABILITY);
    }

    /** As {@link #stop(Caller, RepositoryName, String)}, for scans of {@code type}. */
    public void stop(Caller caller, RepositoryName repository, String reference, ScanType type) {
        Artifact artifact = authorized(caller, repository, reference);
        ScannerRegistration registration = scanner(artifact.projectId());
        long registrationId = registrationId(registration);
        int stopped = 0;
        for (ScanQueue.Target target : targets(artifact)) {
            ScanJob job = queue.active(registrationId, target.digest(), type).orElse(null);
            if (job != null && stop(caller, job)) {
                stopped++;
            }
        }
        if (stopped == 0) {
            throw new PlatformException(ErrorCode.NOT_FOUND, "no scan of " + repository + ":" + reference + " is pending or running");
        }
    }

    /**
     * Stops live job {@code job} (announcing it as {@code Stopped}, counting it in {@link ScanMeters})
     * and revokes its credential; false when it had already ended. The caller has checked access.
     */
    boolean stop(Caller caller, ScanJob job) {
        Boolean done = transaction.execute(s -> {
            if (!queue.stop(job.id(), clock.instant(), clock.instant() + " stopped by " + caller.name() + "\n")) {
                return false;
            }
            events.publishEvent(new ScanFailed(caller.name(), caller.remoteAddr(), clock.instant(), RepositoryName.of(job.repository()),
                Digest.parse(job.digest()), job.registrationName(), ScanJob.STOPPED, "stopped by " + caller.name()));
            return true;
        });
        if (!Boolean.TRUE.equals(done)) {
            return false;
        }
        queue.find(job.id()).map(ScanJob::credentialName).ifPresent(credentials::revoke);
        meters.ended(job.registrationName(), "stopped");
        return true;
    }

    /**
     * Scan on push: once the push is committed, queues the pushed image (or each image of a pushed
     * index) when the project's {@code auto_scan} is true and it has an enabled scanner, unless the
     * scanner already reported on that digest. Failures are logged, never the push's.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onPush(ArtifactPushed pushed) {
        try {
            Project project = projects.find(pushed.repository().project()).orElse(null);
            if (project == null || !settings.autoScan(project.id())) {
                return;
            }
            ScannerRegistration registration = registrations.scannerOf(project.id()).filter(r -> !r.disabled()).orElse(null);
            if (registration == null) {
                return;
            }
            long registrationId = registrationId(registration);
            Artifact artifact = artifacts.get(SYSTEM, pushed.repository(), pushed.digest().toString(), false);
            for (ScanQueue.Target target : targets(artifact)) {
                ScanQueue.Target tagged = new ScanQueue.Target(target.repository(), target.digest(), target.mediaType(), pushed.tag());
                transaction.executeWithoutResult(s -> {
                    if (!queue.reported(registrationId, target.digest())) {
                        queue.enqueue(registrationId, tagged, "push", pushed.actor(), clock.instant());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("scan on push of {}@{} was not queued", pushed.repository(), pushed.digest(), e);
        }
    }

    private Artifact authorized(Caller caller, RepositoryName repository, String reference) {
        Project project = projects.get(repository.project());
        Artifact artifact = artifacts.get(caller, repository, reference, false);
        policy.require(caller, project, Role.Capability.SCAN);
        return artifact;
    }

    private ScannerRegistration scanner(long projectId) {
        ScannerRegistration registration = registrations.scannerOf(projectId).orElseThrow(() -> new PlatformException(
            ErrorCode.PRECONDITION, "no scanner is configured: a system administrator registers one under /api/v2.0/scanners"));
        if (registration.disabled()) {
            throw new PlatformException(ErrorCode.PRECONDITION, "the scanner " + registration.name() + " is disabled");
        }
        return registration;
    }

    private long registrationId(ScannerRegistration registration) {
        return jdbc.queryForObject("SELECT id FROM scanner_registration WHERE uuid = ?", Long.class, registration.uuid());
    }

    /** The image itself, or each image child of an index (present in the repository). */
    private List<ScanQueue.Target> targets(Artifact artifact) {
        String repository = artifact.repositoryName();
        if (artifact.references().isEmpty()) {
            return SCANNABLE.contains(artifact.manifestMediaType())
                ? List.of(new ScanQueue.Target(repository, artifact.digest().toString(), artifact.manifestMediaType(), null))
                : List.of();
        }
        List<ScanQueue.Target> targets = new ArrayList<>();
        for (Artifact.ArtifactReference child : artifact.references()) {
            @Nullable Artifact found;
            try {
                found = artifacts.get(SYSTEM, RepositoryName.of(repository), child.childDigest().toString(), false);
            } catch (PlatformException missing) {
                continue;
            }
            if (SCANNABLE.contains(found.manifestMediaType())) {
                targets.add(new ScanQueue.Target(repository, found.digest().toString(), found.manifestMediaType(), null));
            }
        }
        return targets;
    }
}
