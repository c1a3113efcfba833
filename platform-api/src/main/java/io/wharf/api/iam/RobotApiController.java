package io.wharf.api.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Robot;
import io.wharf.core.iam.RobotService;
import io.wharf.core.iam.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v2.0/robots}, with Harbor's permission JSON:
 * {@code permissions: [{kind: "project", namespace: "<project>" | "*", access: [{resource: "repository", action: "pull"}]}]}.
 * System robots are managed by system administrators; project robots by the project's admins.
 */
@RestController
@RequestMapping("/api/v2.0/robots")
class RobotApiController {

    private static final Pattern PROJECT_ID = Pattern.compile("ProjectID=(\\d+)");

    private final RobotService robots;

    RobotApiController(RobotService robots) {
        this.robots = robots;
    }

    record AccessItem(@Nullable String resource, @Nullable String action) {
    }

    record PermissionItem(@Nullable String kind, @Nullable String namespace, @Nullable List<AccessItem> access) {
    }

    record RobotRequest(@Nullable String name, @Nullable String description, @Nullable Integer duration,
                        @Nullable String level, @Nullable Boolean disable, @Nullable List<PermissionItem> permissions) {
    }

    record SecretRequest(@Nullable String secret) {
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Matcher m = q == null ? null : PROJECT_ID.matcher(q);
        Page<Robot> result = robots.list(caller, m != null && m.find() ? m.group(1) : null, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(RobotApiController::json).getContent());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@AuthenticationPrincipal Caller caller, @RequestBody RobotRequest body) {
        String level = body.level() == null ? "system" : body.level();
        Map<String, Set<String>> permissions = permissions(body.permissions());
        if (body.name() == null || body.duration() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "name and duration are required");
        }
        RobotService.Created created = robots.create(caller, body.name(), body.description(), level, permissions, body.duration(),
            Boolean.TRUE.equals(body.disable()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", created.robot().id());
        json.put("name", created.robot().name());
        json.put("secret", created.secret());
        json.put("creation_time", ApiPage.time(created.robot().createdAt()));
        json.put("expires_at", expiresAt(created.robot()));
        return ResponseEntity.created(URI.create("/api/v2.0/robots/" + created.robot().id())).body(json);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return json(robots.get(caller, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestBody RobotRequest body) {
        Map<String, Set<String>> permissions = body.permissions() == null ? null : permissions(body.permissions());
        robots.update(caller, id, body.description(), Boolean.TRUE.equals(body.disable()), body.duration(), permissions);
        return ResponseEntity.ok().build();
    }

    @PatchMapping("/{id}")
    Map<String, Object> refresh(@AuthenticationPrincipal Caller caller, @PathVariable long id,
                                @RequestBody(required = false) @Nullable SecretRequest body) {
        String secret = robots.refreshSecret(caller, id, body == null ? null : body.secret());
        return Map.of("secret", secret);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        robots.delete(caller, id);
        return ResponseEntity.status(HttpStatus.OK).build();
    }

    private static Map<String, Set<String>> permissions(@Nullable List<PermissionItem> items) {
        if (items == null || items.isEmpty()) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "permissions are required");
        }
        Map<String, Set<String>> permissions = new LinkedHashMap<>();
        for (PermissionItem item : items) {
            if (item.namespace() == null || (item.kind() != null && !"project".equals(item.kind()))) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "each permission needs kind \"project\" and a namespace");
            }
            Set<String> actions = permissions.computeIfAbsent(item.namespace(), k -> new LinkedHashSet<>());
            for (AccessItem a : item.access() == null ? List.<AccessItem>of() : item.access()) {
                if (a.resource() != null && !"repository".equals(a.resource()) && !"artifact".equals(a.resource())) {
                    continue;
                }
                if (a.action() != null) {
                    actions.add(a.action());
                }
            }
        }
        return permissions;
    }

    /** Harbor's {@code expires_at}: epoch seconds, or -1 for never. */
    private static long expiresAt(Robot robot) {
        return robot.expiresAt() == null ? -1 : robot.expiresAt().toEpochSecond();
    }

    private static Map<String, Object> json(Robot r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("name", r.name());
        json.put("description", r.description());
        json.put("level", r.level());
        json.put("duration", r.duration());
        json.put("disable", r.disabled());
        json.put("editable", true);
        json.put("expires_at", expiresAt(r));
        json.put("creation_time", ApiPage.time(r.createdAt()));
        json.put("update_time", ApiPage.time(r.updatedAt()));
        List<Map<String, Object>> permissions = new ArrayList<>();
        r.permissions().forEach((namespace, actions) -> permissions.add(Map.of("kind", "project", "namespace", namespace,
            "access", actions.stream().sorted().map(a -> Map.of("resource", "repository", "action", a, "effect", "allow")).toList())));
        json.put("permissions", permissions);
        return json;
    }
}
