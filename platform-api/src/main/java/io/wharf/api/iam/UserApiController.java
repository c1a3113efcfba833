package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.audit.AuditEvent;
import io.wharf.core.audit.AuditService;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.Principal;
import io.wharf.core.iam.User;
import io.wharf.core.iam.UserService;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.ResponseEntity;
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

/** {@code /api/v2.0/users}: local accounts, managed by system administrators; users read and edit themselves. */
@RestController
@RequestMapping("/api/v2.0/users")
class UserApiController {

    private final UserService users;
    private final LoginService logins;
    private final ApiAccess access;
    private final AuditService audit;

    UserApiController(UserService users, LoginService logins, ApiAccess access, AuditService audit) {
        this.users = users;
        this.logins = logins;
        this.access = access;
        this.audit = audit;
    }

    record UserRequest(@Nullable String username, @Nullable String email, @Nullable String password,
                       @Nullable String realname, @Nullable String comment) {
    }

    record PasswordRequest(@JsonProperty("old_password") @Nullable String oldPassword,
                           @JsonProperty("new_password") @Nullable String newPassword) {
    }

    record SysadminRequest(@JsonProperty("sysadmin_flag") @Nullable Boolean sysadminFlag) {
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(Principal caller, @RequestParam(required = false) @Nullable String username,
                                                   @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        access.requireSysadmin(caller);
        ApiPage paging = ApiPage.of(page, pageSize);
        String fragment = username != null ? username : q != null && q.startsWith("username=") ? q.substring(9).replace("~", "") : "";
        Page<User> result = users.list(fragment, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(UserApiController::json).getContent());
    }

    @PostMapping
    ResponseEntity<Void> create(Principal caller, @RequestBody UserRequest body, HttpServletRequest request) {
        access.requireSysadmin(caller);
        if (body.username() == null || body.password() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "username and password are required");
        }
        User user = users.create(body.username(), body.email(), body.password(), body.realname(), body.comment(), false);
        audit.record(new AuditEvent(caller.name(), "create", "user", user.username(), true, request.getRemoteAddr(), null));
        return ResponseEntity.created(URI.create("/api/v2.0/users/" + user.id())).build();
    }

    @GetMapping("/current")
    Map<String, Object> current(Principal caller) {
        access.requireUser(caller);
        return json(users.find(caller.userId()).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "no such user")));
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal caller, @PathVariable long id) {
        requireSelfOrAdmin(caller, id);
        return json(user(id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(Principal caller, @PathVariable long id, @RequestBody UserRequest body, HttpServletRequest request) {
        requireSelfOrAdmin(caller, id);
        User user = users.update(id, body.email(), body.realname(), body.comment());
        audit.record(new AuditEvent(caller.name(), "update", "user", user.username(), true, request.getRemoteAddr(), null));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Principal caller, @PathVariable long id, HttpServletRequest request) {
        access.requireSysadmin(caller);
        User user = user(id);
        if (Long.valueOf(id).equals(caller.userId())) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "you cannot delete yourself");
        }
        users.delete(id);
        logins.evictCache();
        audit.record(new AuditEvent(caller.name(), "delete", "user", user.username(), true, request.getRemoteAddr(), null));
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/password")
    ResponseEntity<Void> password(Principal caller, @PathVariable long id, @RequestBody PasswordRequest body,
                                  HttpServletRequest request) {
        requireSelfOrAdmin(caller, id);
        if (body.newPassword() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "new_password is required");
        }
        boolean self = Long.valueOf(id).equals(caller.userId());
        users.changePassword(id, body.oldPassword(), body.newPassword(), self || !caller.sysadmin());
        logins.evictCache();
        audit.record(new AuditEvent(caller.name(), "update", "user_password", user(id).username(), true, request.getRemoteAddr(), null));
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/sysadmin")
    ResponseEntity<Void> sysadmin(Principal caller, @PathVariable long id, @RequestBody SysadminRequest body,
                                  HttpServletRequest request) {
        access.requireSysadmin(caller);
        if (body.sysadminFlag() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "sysadmin_flag is required");
        }
        users.setSysadmin(id, body.sysadminFlag());
        logins.evictCache();
        audit.record(new AuditEvent(caller.name(), "update", "user_sysadmin", user(id).username(), true, request.getRemoteAddr(),
            "sysadmin=" + body.sysadminFlag()));
        return ResponseEntity.ok().build();
    }

    private void requireSelfOrAdmin(Principal caller, long id) {
        access.requireUser(caller);
        if (!caller.sysadmin() && !Long.valueOf(id).equals(caller.userId())) {
            throw new PlatformException(ErrorCode.DENIED, "only administrators may see or change other users");
        }
    }

    private User user(long id) {
        return users.find(id).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND, "user " + id + " not found"));
    }

    private static Map<String, Object> json(User u) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", u.id());
        json.put("username", u.username());
        json.put("email", u.email());
        json.put("realname", u.realname());
        json.put("comment", u.comment());
        json.put("sysadmin_flag", u.sysadmin());
        json.put("creation_time", ApiPage.time(u.createdAt()));
        json.put("update_time", ApiPage.time(u.updatedAt()));
        return json;
    }
}
