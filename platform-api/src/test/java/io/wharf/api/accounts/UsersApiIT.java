package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v2.0/users}: accounts, paging, passwords and the password policy, sysadmin flag, who may do what. */
class UsersApiIT extends AccountsIntegrationTest {

    @Test
    void createsReadsUpdatesAndDeletesAUser() {
        String name = unique("alice");
        Response created = http.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "password", PASSWORD,
            "email", name + "@example.com", "realname", "Alice A.", "comment", "first"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = idFromLocation(created);
        assertThat(created.header("Location")).contains("/api/v2.0/users/" + id);

        Response read = http.as(ADMIN).get("/api/v2.0/users/" + id);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode user = read.json();
        assertThat(user.path("user_id").asLong()).isEqualTo(id);
        assertThat(user.path("username").asString()).isEqualTo(name);
        assertThat(user.path("email").asString()).isEqualTo(name + "@example.com");
        assertThat(user.path("realname").asString()).isEqualTo("Alice A.");
        assertThat(user.path("comment").asString()).isEqualTo("first");
        assertThat(user.path("sysadmin_flag").isBoolean()).isTrue();
        assertThat(user.path("sysadmin_flag").asBoolean()).isFalse();
        assertThat(user.path("creation_time").asString()).isNotBlank();
        assertThat(user.path("update_time").asString()).isNotBlank();
        assertThat(read.text()).doesNotContain("password").doesNotContain(PASSWORD).doesNotContain("$2a$");

        Response updated = http.as(ADMIN).put("/api/v2.0/users/" + id, Map.of("email", "new-" + name + "@example.com", "realname", "Alice B.", "comment", "second"));
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        user = http.as(ADMIN).get("/api/v2.0/users/" + id).json();
        assertThat(user.path("email").asString()).isEqualTo("new-" + name + "@example.com");
        assertThat(user.path("realname").asString()).isEqualTo("Alice B.");
        assertThat(user.path("comment").asString()).isEqualTo("second");
        assertThat(user.path("username").asString()).as("a profile update never renames").isEqualTo(name);

        // users read and edit themselves
        assertThat(http.as(user(name)).get("/api/v2.0/users/" + id).status()).isEqualTo(200);
        Response selfUpdate = http.as(user(name)).put("/api/v2.0/users/" + id, Map.of("comment", "mine"));
        assertThat(selfUpdate.status()).as("%s", selfUpdate).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/users/" + id).json().path("comment").asString()).isEqualTo("mine");

        Response deleted = http.as(ADMIN).delete("/api/v2.0/users/" + id);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/users/" + id), 404, "NOT_FOUND");
        assertHarborError(http.as(user(name)).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/users/" + id), 404, "NOT_FOUND");
    }

    @Test
    void usersCannotReadOrEditOthers() {
        String a = unique("ua");
        String b = unique("ub");
        createUser(a);
        long idB = createUser(b);
        assertHarborError(http.as(user(a)).get("/api/v2.0/users/" + idB), 403, "FORBIDDEN");
        assertHarborError(http.as(user(a)).put("/api/v2.0/users/" + idB, Map.of("comment", "hacked")), 403, "FORBIDDEN");
        assertHarborError(http.as(user(a)).delete("/api/v2.0/users/" + idB), 403, "FORBIDDEN");
        assertThat(http.as(ADMIN).get("/api/v2.0/users/" + idB).json().path("comment").asString("")).isNotEqualTo("hacked");
    }

    @Test
    void usersCannotMakeThemselvesSysadminThroughTheProfile() {
        String name = unique("esc");
        long id = createUser(name);
        Response update = http.as(user(name)).put("/api/v2.0/users/" + id, Map.of("sysadmin_flag", true, "username", "admin", "comment", "trying"));
        assertThat(update.status()).as("%s", update).isIn(200, 400);
        JsonNode after = http.as(ADMIN).get("/api/v2.0/users/" + id).json();
        assertThat(after.path("sysadmin_flag").asBoolean()).isFalse();
        assertThat(after.path("username").asString()).isEqualTo(name);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users"), 403, "FORBIDDEN");
        // nor can an administrator create another administrator by the back door of POST /users
        String made = unique("made");
        Response created = http.as(ADMIN).post("/api/v2.0/users", Map.of("username", made, "password", PASSWORD, "sysadmin_flag", true));
        if (created.status() == 201) {
            assertThat(http.as(user(made)).get("/api/v2.0/users/current").json().path("sysadmin_flag").asBoolean()).isFalse();
        }
    }

    @Test
    void listsUsersWithHarborPaging() {
        String prefix = unique("pg");
        for (int i = 0; i < 3; i++) {
            createUser(prefix + "-" + i);
        }
        Response first = http.as(ADMIN).get("/api/v2.0/users?username=" + prefix + "&page=1&page_size=2");
        assertThat(names(first, "username")).containsExactly(prefix + "-0", prefix + "-1");
        assertThat(first.header("X-Total-Count")).contains("3");
        String link = first.header("Link").orElseThrow(() -> new AssertionError("no Link: " + first));
        assertThat(link).contains("rel=\"next\"").doesNotContain("rel=\"prev\"")
            .contains("page=2").contains("page_size=2").contains("username=" + prefix).contains("/api/v2.0/users");

        Response second = http.as(ADMIN).get("/api/v2.0/users?username=" + prefix + "&page=2&page_size=2");
        assertThat(names(second, "username")).containsExactly(prefix + "-2");
        assertThat(second.header("X-Total-Count")).contains("3");
        assertThat(second.header("Link").orElseThrow()).contains("rel=\"prev\"").contains("page=1").doesNotContain("rel=\"next\"");

        // Harbor's query syntax: q=username=~<fragment>
        Response fuzzy = http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("username=~" + prefix) + "&page_size=10");
        assertThat(names(fuzzy, "username")).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2");
        assertThat(fuzzy.header("X-Total-Count")).contains("3");
        assertThat(fuzzy.header("Link")).isEmpty();
        // exact names, lists of them (any of; all of, which one name cannot be)
        assertThat(names(http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("username=" + prefix + "-1")), "username"))
            .containsExactly(prefix + "-1");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("username={" + prefix + "-2 " + prefix + "-0}")),
            "username")).containsExactly(prefix + "-0", prefix + "-2");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("username=(" + prefix + "-2 " + prefix + "-0)")),
            "username")).isEmpty();
        assertThat(names(http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("email={" + prefix + "-1@example.com}")),
            "username")).containsExactly(prefix + "-1");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/users?email=" + prefix + "-2%40"), "username")).containsExactly(prefix + "-2");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/users?q=" + RegistryClient.encode("nickname=x")), 400, "BAD_REQUEST");

        // bad paging is a 400
        assertHarborError(http.as(ADMIN).get("/api/v2.0/users?page=0"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/users?page_size=101"), 400, "BAD_REQUEST");
    }

    @Test
    void userChangesOwnPasswordWithTheOldOne() {
        String name = unique("pw");
        long id = createUser(name);
        String path = "/api/v2.0/users/" + id + "/password";
        assertThat(http.as(user(name)).get("/api/v2.0/users/current").status()).isEqualTo(200);

        assertHarborError(http.as(user(name)).put(path, Map.of("new_password", "NewPassw0rd")), 400, "BAD_REQUEST");
        assertHarborError(http.as(user(name)).put(path, Map.of("old_password", "Wrong0ldPass", "new_password", "NewPassw0rd")),
            400, "BAD_REQUEST");
        assertHarborError(http.as(user(name)).put(path, Map.of("old_password", PASSWORD, "new_password", "short")), 400, "BAD_REQUEST");
        assertHarborError(http.as(user(name)).put(path, Map.of("old_password", PASSWORD)), 400, "BAD_REQUEST");
        assertThat(http.as(user(name)).get("/api/v2.0/users/current").status()).as("failed changes change nothing").isEqualTo(200);

        Response changed = http.as(user(name)).put(path, Map.of("old_password", PASSWORD, "new_password", "NewPassw0rd"));
        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
        assertThat(http.as(Credentials.basic(name, "NewPassw0rd")).get("/api/v2.0/users/current").status()).isEqualTo(200);
        assertThat(http.as(Credentials.basic(name, "NewPassw0rd")).token().status()).isEqualTo(200);
        assertThat(http.as(user(name)).token().status()).isEqualTo(401);
    }

    @Test
    void adminResetsAnotherUsersPasswordWithoutTheOldOne() {
        String name = unique("reset");
        long id = createUser(name);
        assertThat(http.as(user(name)).get("/api/v2.0/users/current").status()).isEqualTo(200);
        Response reset = http.as(ADMIN).put("/api/v2.0/users/" + id + "/password", Map.of("new_password", "Res3tByAdmin"));
        assertThat(reset.status()).as("%s", reset).isEqualTo(200);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
        assertThat(http.as(Credentials.basic(name, "Res3tByAdmin")).get("/api/v2.0/users/current").status()).isEqualTo(200);

        // the policy applies to resets too
        assertHarborError(http.as(ADMIN).put("/api/v2.0/users/" + id + "/password", Map.of("new_password", "nouppercase1")),
            400, "BAD_REQUEST");

        // a non-admin cannot reset someone else's password, even knowing it
        String other = unique("other");
        createUser(other);
        assertHarborError(http.as(user(other)).put("/api/v2.0/users/" + id + "/password", Map.of("old_password", "Res3tByAdmin", "new_password", "Hijack3dPass")), 403, "FORBIDDEN");
        assertThat(http.as(Credentials.basic(name, "Res3tByAdmin")).get("/api/v2.0/users/current").status()).isEqualTo(200);
    }

    @Test
    void adminChangingOwnPasswordNeedsTheOldOne() {
        long adminId = http.as(ADMIN).get("/api/v2.0/users/current").json().path("user_id").asLong();
        assertHarborError(http.as(ADMIN).put("/api/v2.0/users/" + adminId + "/password", Map.of("new_password", "Other4dminPass")),
            400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get("/api/v2.0/users/current").status()).isEqualTo(200);
    }

    @Test
    void grantsAndRevokesSysadmin() {
        String name = unique("sys");
        long id = createUser(name);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users"), 403, "FORBIDDEN");
        assertHarborError(http.as(user(name)).put("/api/v2.0/users/" + id + "/sysadmin", Map.of("sysadmin_flag", true)), 403, "FORBIDDEN");

        Response granted = http.as(ADMIN).put("/api/v2.0/users/" + id + "/sysadmin", Map.of("sysadmin_flag", true));
        assertThat(granted.status()).as("%s", granted).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/users/" + id).json().path("sysadmin_flag").asBoolean()).isTrue();
        assertThat(http.as(user(name)).get("/api/v2.0/users/current").json().path("sysadmin_flag").asBoolean()).isTrue();
        assertThat(http.as(user(name)).get("/api/v2.0/users").status()).as("a new sysadmin lists users at once").isEqualTo(200);

        Response revoked = http.as(ADMIN).put("/api/v2.0/users/" + id + "/sysadmin", Map.of("sysadmin_flag", false));
        assertThat(revoked.status()).as("%s", revoked).isEqualTo(200);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users"), 403, "FORBIDDEN");

        assertHarborError(http.as(ADMIN).put("/api/v2.0/users/" + id + "/sysadmin", Map.of()), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).put("/api/v2.0/users/999999999/sysadmin", Map.of("sysadmin_flag", true)), 404, "NOT_FOUND");
    }

    @Test
    void currentUserIsTheCaller() {
        String name = unique("me");
        long id = createUser(name);
        Response current = http.as(user(name)).get("/api/v2.0/users/current");
        assertThat(current.status()).as("%s", current).isEqualTo(200);
        assertThat(current.json().path("user_id").asLong()).isEqualTo(id);
        assertThat(current.json().path("username").asString()).isEqualTo(name);
        assertThat(current.json().path("sysadmin_flag").asBoolean()).isFalse();

        JsonNode admin = http.as(ADMIN).get("/api/v2.0/users/current").json();
        assertThat(admin.path("username").asString()).isEqualTo("admin");
        assertThat(admin.path("sysadmin_flag").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Sh0rt", "nouppercase1", "NOLOWERCASE1", "NoDigitsHere", ""})
    void rejectsPasswordsAgainstThePolicy(String password) {
        String name = unique("weak");
        JsonNode error = assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "password", password)),
            400, "BAD_REQUEST");
        assertThat(error.path("message").asString()).containsIgnoringCase("password");
        assertThat(http.as(ADMIN).get("/api/v2.0/users?username=" + name).header("X-Total-Count")).contains("0");
    }

    @Test
    void acceptsPasswordsAtTheBoundariesAndRejectsLongerOnes() {
        String min = unique("min");
        createUser(min, "Abcdefg1");
        assertThat(http.as(Credentials.basic(min, "Abcdefg1")).get("/api/v2.0/users/current").status()).isEqualTo(200);
        String tooLong = "Aa1" + "x".repeat(126);
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", unique("long"), "password", tooLong)),
            400, "BAD_REQUEST");
    }

    /**
     * The policy allows up to 128 characters; bcrypt looks at 72 bytes at most. A long password must
     * either work as a whole (not just its first 72 bytes) or be refused with a 400, never a 500.
     */
    @ParameterizedTest(name = "[{index}] {0} characters")
    @ValueSource(ints = {73, 100, 128})
    void longPasswordsWorkWholeOrAreRefusedCleanly(int length) {
        String password = "Aa1" + "x".repeat(length - 3);
        String name = unique("long");
        Response created = http.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "password", password));
        assertThat(created.status()).as("%s", created).isIn(201, 400);
        if (created.status() == 400) {
            assertHarborError(created, 400, "BAD_REQUEST");
        } else {
            assertThat(http.as(Credentials.basic(name, password)).get("/api/v2.0/users/current").status()).isEqualTo(200);
            assertThat(http.as(Credentials.basic(name, password.substring(0, 72) + "y")).get("/api/v2.0/users/current").status())
                .as("only the whole password logs in").isEqualTo(401);
        }

        String other = unique("longreset");
        long id = createUser(other);
        Response reset = http.as(ADMIN).put("/api/v2.0/users/" + id + "/password", Map.of("new_password", password));
        assertThat(reset.status()).as("%s", reset).isIn(200, 400);
        Response changed = http.as(user(other)).put("/api/v2.0/users/" + id + "/password", Map.of("old_password", PASSWORD, "new_password", password));
        assertThat(changed.status()).as("%s", changed).isIn(200, 400);
    }

    @Test
    void rejectsBadOrMissingUsernames() {
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", "bad name!", "password", PASSWORD)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("password", PASSWORD)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", unique("nopw"))), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", "{not json"), 400, "BAD_REQUEST");
    }

    @Test
    void duplicateUsernameIsAConflict() {
        String name = unique("dup");
        createUser(name);
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", name, "password", "Anoth3rPass")), 409, "CONFLICT");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/users", Map.of("username", "admin", "password", "Anoth3rPass")), 409, "CONFLICT");
        // the original keeps its password
        assertThat(http.as(user(name)).get("/api/v2.0/users/current").status()).isEqualTo(200);
    }

    @Test
    void nonAdminsCannotListCreateOrDeleteUsers() {
        String name = unique("plain");
        long id = createUser(name);
        assertHarborError(http.as(user(name)).get("/api/v2.0/users"), 403, "FORBIDDEN");
        assertHarborError(http.as(user(name)).post("/api/v2.0/users", Map.of("username", unique("x"), "password", PASSWORD)),
            403, "FORBIDDEN");
        assertHarborError(http.as(user(name)).delete("/api/v2.0/users/" + id), 403, "FORBIDDEN");
    }

    @Test
    void anonymousCallersMustAuthenticate() {
        long id = createUser(unique("anon"));
        List<Response> responses = List.of(
            http.anonymous().get("/api/v2.0/users"),
            http.anonymous().post("/api/v2.0/users", Map.of("username", unique("x"), "password", PASSWORD)),
            http.anonymous().get("/api/v2.0/users/current"),
            http.anonymous().get("/api/v2.0/users/" + id),
            http.anonymous().put("/api/v2.0/users/" + id, Map.of("comment", "x")),
            http.anonymous().put("/api/v2.0/users/" + id + "/password", Map.of("new_password", "NewPassw0rd")),
            http.anonymous().put("/api/v2.0/users/" + id + "/sysadmin", Map.of("sysadmin_flag", true)),
            http.anonymous().delete("/api/v2.0/users/" + id));
        for (Response response : responses) {
            assertHarborError(response, 401, "UNAUTHORIZED");
            assertThat(response.header("WWW-Authenticate")).as("%s", response).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertThat(http.as(ADMIN).get("/api/v2.0/users/" + id).status()).isEqualTo(200);
    }

    @Test
    void wrongCredentialsAreA401NotAnonymous() {
        String name = unique("wrong");
        createUser(name);
        assertHarborError(http.as(Credentials.basic(name, "Wrong12345")).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(new Credentials("raw", "Bearer abc.def.ghi")).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(new Credentials("raw", "Basic !!!not-base64")).get("/api/v2.0/users/current"), 401, "UNAUTHORIZED");
    }

    @Test
    void adminCannotDeleteItself() {
        long adminId = http.as(ADMIN).get("/api/v2.0/users/current").json().path("user_id").asLong();
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/users/" + adminId), 400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get("/api/v2.0/users/current").status()).isEqualTo(200);
    }
}
