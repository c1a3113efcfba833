package io.wharf.api.iam;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.ProjectSettingsService;
import io.wharf.core.iam.User;
import io.wharf.core.iam.UserService;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harbor's {@code Project} JSON, for the projects endpoints and {@code /search}: the caller's role,
 * the repository count, {@code metadata.public} (and {@code metadata.retention_id} when the project has a retention policy), {@code registry_id} (the upstream endpoint of a proxy-cache project, else null) and an
 * empty {@code cve_allowlist} (no scanning yet).
 */
@Component
class ProjectJson {

    private final ProjectService projects;
    private final UserService users;
    private final ProjectSettingsService settings;

    ProjectJson(ProjectService projects, UserService users, ProjectSettingsService settings) {
        this.projects = projects;
        this.users = users;
        this.settings = settings;
    }

    Map<String, Object> json(Project p, Caller caller) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project_id", p.id());
        json.put("name", p.name());
        json.put("owner_id", p.ownerId());
        json.put("owner_name", p.ownerId() == null ? null : users.find(p.ownerId()).map(User::username).orElse(null));
        json.put("registry_id", p.registryId());
        json.put("creation_time", ApiPage.time(p.createdAt()));
        json.put("update_time", ApiPage.time(p.updatedAt()));
        json.put("deleted", false);
        json.put("repo_count", projects.repositoryCount(p));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("public", String.valueOf(p.isPublic()));
        settings.retentionId(p.id()).ifPresent(id -> metadata.put(ProjectSettingsService.RETENTION_ID, String.valueOf(id)));
        json.put("metadata", metadata);
        json.put("cve_allowlist", cveAllowlist(p));
        projects.role(caller, p).ifPresent(role -> {
            json.put("current_user_role_id", role.id());
            json.put("current_user_role_ids", List.of(role.id()));
        });
        return json;
    }

    /** Harbor's allowlist of a project that has none: no items, no expiry. */
    private static Map<String, Object> cveAllowlist(Project p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", 0);
        json.put("project_id", p.id());
        json.put("expires_at", null);
        json.put("items", List.of());
        json.put("creation_time", ApiPage.time(p.createdAt()));
        json.put("update_time", ApiPage.time(p.updatedAt()));
        return json;
    }
}
