package io.wharf.retention.execution;

import io.wharf.core.artifact.RepositoryContents;
import io.wharf.core.artifact.RepositoryContents.StoredArtifact;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.registry.Reference;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.tagrule.ImmutableTagRule;
import io.wharf.core.tagrule.ImmutableTags;
import io.wharf.retention.policy.RetentionPolicy;
import io.wharf.retention.policy.RetentionPolicyService;
import io.wharf.retention.policy.RetentionRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Runs an execution on this node: claims it ({@code Pending} to {@code Running}, so one node runs it),
 * then for each repository of the project in the policy's scope records a task, evaluates the rules
 * ({@link Evaluation}) and deletes each artifact no rule retains through the registry's delete by
 * digest, as the system caller {@code retention}: events, the audit log, webhooks and garbage collection
 * see it as any delete. An artifact with an immutable tag is never deleted. A dry run deletes nothing
 * and logs what it would delete. Between deletions it reads whether someone asked it to stop.
 */
@Component
public class RetentionRunner {

    private static final Logger log = LoggerFactory.getLogger(RetentionRunner.class);

    private final RetentionExecutionRepository executions;
    private final RetentionTaskRepository tasks;
    private final RetentionPolicyService policies;
    private final ProjectService projects;
    private final RepositoryContents contents;
    private final ImmutableTags immutable;
    private final RegistryService registry;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Caller system = Caller.of(Principal.system("retention"), null);

    RetentionRunner(RetentionExecutionRepository executions, RetentionTaskRepository tasks, RetentionPolicyService policies, ProjectService projects,
                    RepositoryContents contents, ImmutableTags immutable, RegistryService registry,
                    PlatformTransactionManager transactions, Clock clock) {
        this.executions = executions;
        this.tasks = tasks;
        this.policies = policies;
        this.projects = projects;
        this.contents = contents;
        this.immutable = immutable;
        this.registry = registry;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Runs execution {@code executionId} if this call claims it: a {@code Pending} one, or, when
     * {@code resume} (Quartz recovering the job of a node that died), a {@code Running} one.
     *
     * @return whether this call ran it
     */
    public boolean run(long executionId, boolean resume) {
        Boolean claimed = transaction.execute(status -> executions.claim(executionId, RetentionExecution.PENDING) > 0
            || (resume && executions.claim(executionId, RetentionExecution.RUNNING) > 0));
        if (!Boolean.TRUE.equals(claimed)) {
            return false;
        }
        RetentionExecutionEntity execution = executions.findById(executionId).orElseThrow();
        String outcome;
        try {
            outcome = runClaimed(execution);
        } catch (RuntimeException e) {
            log.warn("Retention execution {} failed", executionId, e);
            outcome = RetentionExecution.ERROR;
        }
        String status = outcome;
        transaction.executeWithoutResult(tx -> executions.findById(executionId).ifPresent(e -> {
            e.status = status;
            e.endTime = OffsetDateTime.now(clock);
        }));
        return true;
    }

    private String runClaimed(RetentionExecutionEntity execution) {
        Optional<RetentionPolicy> policy = policies.find(execution.policyId);
        if (policy.isEmpty()) {
            return RetentionExecution.ERROR;
        }
        Project project = projects.get(String.valueOf(policy.get().projectId()));
        String outcome = RetentionExecution.SUCCESS;
        for (RepositoryName repository : contents.repositories(project.name())) {
            List<RetentionRule> rules = Evaluation.applicable(policy.get().rules(), ImmutableTags.pathInProject(repository));
            if (rules.isEmpty()) {
                continue;
            }
            String result = runRepository(execution, repository, rules);
            if (RetentionExecution.STOPPED.equals(result)) {
                return result;
            }
            if (RetentionExecution.ERROR.equals(result)) {
                outcome = result;
            }
        }
        return outcome;
    }

    private String runRepository(RetentionExecutionEntity execution, RepositoryName repository, List<RetentionRule> rules) {
        RetentionTaskEntity task = new RetentionTaskEntity();
        task.executionId = execution.id();
        task.repository = repository.value();
        task.status = RetentionExecution.RUNNING;
        task.startTime = OffsetDateTime.now(clock);
        StringBuilder text = new StringBuilder();
        line(text, (execution.dryRun ? "dry run" : "run") + " of retention policy " + execution.policyId + " on " + repository);
        rules.forEach(rule -> line(text, "rule: " + rule.describe()));
        task.log = text.toString();
        RetentionTaskEntity saved = tasks.saveAndFlush(task);

        List<ImmutableTagRule> immutableRules = immutable.rulesOf(repository);
        List<Evaluation.Verdict> verdicts = Evaluation.evaluate(rules, contents.artifacts(repository), clock.instant());
        int retained = 0;
        String status = RetentionExecution.SUCCESS;
        for (Evaluation.Verdict verdict : verdicts) {
            StoredArtifact artifact = verdict.artifact();
            String name = repository + "@" + artifact.digest() + " " + artifact.tags();
            Optional<ImmutableTags.Match> locked = ImmutableTags.firstImmutable(immutableRules, repository, artifact.tags());
            if (verdict.retained()) {
                retained++;
                line(text, "retain " + name + " (" + verdict.reason() + ")");
            } else if (locked.isPresent()) {
                retained++;
                line(text, "retain " + name + " (the tag " + locked.get().tag() + " is immutable: " + locked.get().rule().describe() + ")");
            } else if (executions.stopRequested(execution.id()).orElse(true)) {
                line(text, "stopped");
                status = RetentionExecution.STOPPED;
                break;
            } else if (execution.dryRun) {
                line(text, "would delete " + name);
            } else {
                try {
                    registry.deleteManifest(system, repository, new Reference(null, artifact.digest()));
                    line(text, "deleted " + name);
                } catch (PlatformException e) {
                    line(text, "could not delete " + name + ": " + e.getMessage());
                    status = RetentionExecution.ERROR;
                }
            }
        }
        line(text, retained + " of " + verdicts.size() + " artifacts retained");
        int kept = retained;
        String end = status;
        transaction.executeWithoutResult(tx -> tasks.findById(saved.id == null ? -1 : saved.id).ifPresent(t -> {
            t.total = verdicts.size();
            t.retained = kept;
            t.status = end;
            t.endTime = OffsetDateTime.now(clock);
            t.log = text.toString();
        }));
        return status;
    }

    private void line(StringBuilder text, String line) {
        text.append(OffsetDateTime.now(clock)).append(' ').append(line).append('\n');
    }
}
