package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Member;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.Project;
import io.wharf.core.iam.ProjectService;
import io.wharf.core.iam.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v2.0/projects/{p}/members}: who is in a project, with which {@code role_id}. */
@RestController
@RequestMapping("/api/v2.0/projects/{project}/members")
class MemberApiController {

    private final ProjectService projects;

    MemberApiController(ProjectService projects) {
        this.projects = projects;
    }

    record MemberUser(@JsonProperty("user_id") @Nullable Long userId, @Nullable String username) {
    }

    record MemberRequest(@JsonProperty("role_id") @Nullable Integer roleId,
                         @JsonProperty("member_user") @Nullable MemberUser memberUser) {
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                                   @RequestParam(required = false) @Nullable String entityname,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<Member> members = projects.members(caller, project, entityname, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, members))
            .body(members.map(MemberApiController::json).getContent());
    }

    @PostMapping
    ResponseEntity<Void> add(@AuthenticationPrincipal Caller caller, @PathVariable String project, @RequestBody MemberRequest body) {
        if (body.roleId() == null || body.memberUser() == null
            || (body.memberUser().userId() == null && body.memberUser().username() == null)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "role_id and member_user (user_id or username) are required");
        }
        Member member = projects.addMember(caller, project, body.memberUser().userId(), body.memberUser().username(),
            Role.of(body.roleId()));
        return ResponseEntity.created(URI.create("/api/v2.0/projects/" + project + "/members/" + member.id())).build();
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id) {
        return json(projects.member(caller, project, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id,
                                @RequestBody MemberRequest body) {
        if (body.roleId() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "role_id is required");
        }
        projects.updateMember(caller, project, id, Role.of(body.roleId()));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id) {
        projects.removeMember(caller, project, id);
        return ResponseEntity.ok().build();
    }

    private static Map<String, Object> json(Member m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id());
        json.put("project_id", m.projectId());
        json.put("entity_name", m.username());
        json.put("role_name", m.role().harborName());
        json.put("role_id", m.role().id());
        json.put("entity_id", m.userId());
        json.put("entity_type", "u");
        return json;
    }
}
