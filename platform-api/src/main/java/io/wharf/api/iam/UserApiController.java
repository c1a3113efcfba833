package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.User;
import io.wharf.core.iam.UserService;
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

/** {@code /api/v2.0/users}: local accounts, managed by system administrators; users read and edit themselves. */
@RestController
@RequestMapping("/api/v2.0/users")
class UserApiController {

    private final UserService users;

    UserApiController(UserService users) {
        this.users = users;
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
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) @Nullable String username,
                                                   @RequestParam(required = false) @Nullable String email,
                                                   @RequestParam(required = false) @Nullable String q,
                                                   @RequestParam(required = false) @Nullable Integer page,
                                                   @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                   HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<User> result = users.list(caller, q, username, email, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result))
            .body(result.map(UserApiController::json).getContent());
    }

    @PostMapping
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody UserRequest body) {
        if (body.username() == null || body.password() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "username and password are required");
        }
        User user = users.create(caller, body.username(), body.email(), body.password(), body.realname(), body.comment());
        return ResponseEntity.created(URI.create("/api/v2.0/users/" + user.id())).build();
    }

    @GetMapping("/current")
    Map<String, Object> current(@AuthenticationPrincipal Caller caller) {
        return json(users.current(caller));
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return json(users.get(caller, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestBody UserRequest body) {
        users.update(caller, id, body.email(), body.realname(), body.comment());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        users.delete(caller, id);
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/password")
    ResponseEntity<Void> password(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestBody PasswordRequest body) {
        if (body.newPassword() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "new_password is required");
        }
        users.changePassword(caller, id, body.oldPassword(), body.newPassword());
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/sysadmin")
    ResponseEntity<Void> sysadmin(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestBody SysadminRequest body) {
        if (body.sysadminFlag() == null) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "sysadmin_flag is required");
        }
        users.setSysadmin(caller, id, body.sysadminFlag());
        return ResponseEntity.ok().build();
    }

    private static Map<String, Object> json(User u) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", u.id());
        json.put("username", u.username());
        json.put("email", u.email());
        json.put("realname", u.realname());
        json.put("comment", u.comment());
        json.put("sysadmin_flag", u.sysadmin());
        // Harbor: whether the external auth (LDAP, OIDC) made the user an administrator; Wharf has local accounts only
        json.put("admin_role_in_auth", false);
        json.put("creation_time", ApiPage.time(u.createdAt()));
        json.put("update_time", ApiPage.time(u.updatedAt()));
        return json;
    }
}
