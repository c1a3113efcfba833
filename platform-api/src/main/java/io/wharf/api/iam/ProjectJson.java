package io.wharf.api.iam;

import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.CveAllowlistService;
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
 * the repository count, {@code metadata} ({@code public} and the stored settings), {@code registry_id}
 * (the upstream endpoint of a proxy-cache project, else null) and the project's own {@code cve_allowlist}.
 */
@Component
class ProjectJson {

    private final ProjectService projects;
    private final UserService users;
    private final ProjectSettingsService settings;
    private final CveAllowlistService allowlists;

    ProjectJson(ProjectService projects, UserService users, ProjectSettingsService settings, CveAllowlistService allowlists) {
        this.settings = settings;
        this.allowlists = allowlists;
        this.projects = projects;
        this.users = users;
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
        metadata.putAll(settings.stored(p.id()));
        json.put("metadata", metadata);
        json.put("cve_allowlist", CveAllowlistJson.json(allowlists.ofProject(p)));
        projects.role(caller, p).ifPresent(role -> {
            json.put("current_user_role_id", role.id());
            json.put("current_user_role_ids", List.of(role.id()));
        });
        return json;
    }
}
