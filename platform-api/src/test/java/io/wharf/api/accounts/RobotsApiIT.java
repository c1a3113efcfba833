package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code /api/v2.0/robots}: project and system robots, their secrets, and what they may do on {@code /service/token} and {@code /v2}. */
class RobotsApiIT extends AccountsIntegrationTest {

    /** A created robot: id, full name and the secret shown once. */
    record Created(long id, String name, String secret, JsonNode body) {

        Credentials auth() {
            return Credentials.basic(name, secret);
        }
    }

    @Test
    void projectRobotIsNamedAfterItsProjectAndShowsItsSecretOnce() {
        String project = unique("rp");
        long projectId = createProject(project, false, ADMIN);
        Response response = http.as(ADMIN).post("/api/v2.0/robots", robot("ci", "project", -1, Map.of(project, List.of("pull", "push"))));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        JsonNode body = response.json();
        long id = body.path("id").asLong();
        assertThat(response.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/v2.0/robots/" + id));
        assertThat(body.path("name").asString()).isEqualTo("robot$" + project + "+ci");
        String secret = body.path("secret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(body.path("creation_time").asString()).isNotBlank();
        assertThat(body.has("expires_at")).isTrue();

        Response read = http.as(ADMIN).get("/api/v2.0/robots/" + id);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode robot = read.json();
        assertThat(robot.path("secret").asString("")).as("GET never shows the secret").isEmpty();
        assertThat(read.text()).doesNotContain(secret);
        assertThat(robot.path("name").asString()).isEqualTo("robot$" + project + "+ci");
        assertThat(robot.path("level").asString()).isEqualTo("project");
        assertThat(robot.path("duration").asInt()).isEqualTo(-1);
        assertThat(robot.path("disable").asBoolean()).isFalse();
        assertThat(robot.path("expires_at").asLong()).isEqualTo(-1);
        JsonNode permission = robot.path("permissions").path(0);
        assertThat(permission.path("kind").asString()).isEqualTo("project");
        assertThat(permission.path("namespace").asString()).isEqualTo(project);
        assertThat(permission.path("access").valueStream().map(a -> a.path("action").asString()).toList())
            .containsExactlyInAnyOrder("pull", "push");

        Response list = http.as(ADMIN).get("/api/v2.0/robots?q=" + RegistryClient.encode("Level=project,ProjectID=" + projectId));
        assertThat(names(list, "name")).containsExactly("robot$" + project + "+ci");
        assertThat(list.header("X-Total-Count")).contains("1");
        assertThat(list.text()).doesNotContain(secret);
        assertThat(http.as(ADMIN).get("/api/v2.0/robots").text()).doesNotContain(secret);

        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("ci", "project", -1, Map.of(project, List.of("pull")))),
            409, "CONFLICT");
    }

    @Test
    void robotCreatedResponseHasHarborsIntegerExpiresAt() {
        String project = unique("rexp");
        createProject(project, false, ADMIN);
        JsonNode never = http.as(ADMIN).post("/api/v2.0/robots", robot("never", "project", -1, Map.of(project, List.of("pull")))).json();
        JsonNode day = http.as(ADMIN).post("/api/v2.0/robots", robot("day", "project", 1, Map.of(project, List.of("pull")))).json();
        // Harbor's RobotCreated.expires_at is an int64 (epoch seconds, -1 for never), as in GET /robots/{id}
        assertThat(never.path("expires_at").isNumber()).as("%s", never).isTrue();
        assertThat(never.path("expires_at").asLong()).isEqualTo(-1);
        assertThat(day.path("expires_at").isNumber()).as("%s", day).isTrue();
        long expected = Instant.now().plus(1, ChronoUnit.DAYS).getEpochSecond();
        assertThat(day.path("expires_at").asLong()).isCloseTo(expected, within(120L));
        long read = http.as(ADMIN).get("/api/v2.0/robots/" + day.path("id").asLong()).json().path("expires_at").asLong();
        assertThat(read).isCloseTo(expected, within(120L));
    }

    @Test
    void projectRobotPushesAndPullsOnlyInItsProject() {
        String mine = unique("rmine");
        String other = unique("rother");
        createProject(mine, false, ADMIN);
        createProject(other, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(other + "/app", "v1", TestImage.simple(other)).ok()).isTrue();
        Created robot = create("builder", "project", -1, Map.of(mine, List.of("pull", "push")));

        // token endpoint: Basic with the robot's name and secret; actions cut down to the permissions
        Response token = http.as(robot.auth()).token("repository:" + mine + "/app:pull,push", "repository:" + other + "/app:pull,push");
        assertThat(token.status()).as("%s", token).isEqualTo(200);
        JsonNode access = RegistryClient.jwtPayload(token.json().path("token").asString()).path("access");
        assertThat(actions(access, mine + "/app")).containsExactlyInAnyOrder("pull", "push");
        assertThat(actions(access, other + "/app")).isEmpty();

        // /v2 with Basic
        assertThat(http.as(robot.auth()).tryPush(mine + "/app", "v1", TestImage.simple(mine)).ok()).isTrue();
        assertThat(http.as(robot.auth()).getManifest(mine + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertOciError(http.as(robot.auth()).send("POST", "/v2/" + other + "/app/blobs/uploads/", null), 403, "DENIED");
        assertOciError(http.as(robot.auth()).getManifest(other + "/app", "v1", TestImage.OCI_MANIFEST), 403, "DENIED");

        // /v2 with the robot's token
        Credentials bearer = Credentials.bearer(token.json().path("token").asString());
        assertThat(http.as(bearer).tryPush(mine + "/app", "v2", TestImage.simple(mine + "2")).ok()).isTrue();
        assertThat(http.as(bearer).getManifest(mine + "/app", "v2", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(http.as(bearer).getManifest(other + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(401);

        // the OAuth2 form of the token endpoint (containerd, podman) takes robots too
        String form = "grant_type=password&service=wharf&username=" + RegistryClient.encode(robot.name())
            + "&password=" + RegistryClient.encode(robot.secret()) + "&scope=" + RegistryClient.encode("repository:" + mine + "/app:pull");
        Response oauth = http.anonymous().send("POST", "/service/token", form.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(oauth.status()).as("%s", oauth).isEqualTo(200);
        assertThat(actions(RegistryClient.jwtPayload(oauth.json().path("access_token").asString()).path("access"), mine + "/app")).containsExactly("pull");

        // no delete permission
        String digest = http.as(ADMIN).tryPush(mine + "/app", "v3", TestImage.simple(mine + "3")).digest();
        assertOciError(http.as(robot.auth()).deleteManifest(mine + "/app", digest), 403, "DENIED");
    }

    @Test
    void pullOnlyRobotCannotPush() {
        String project = unique("rpull");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("reader", "project", -1, Map.of(project, List.of("pull")));
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertOciError(http.as(robot.auth()).send("POST", "/v2/" + project + "/app/blobs/uploads/", null), 403, "DENIED");
        JsonNode access = RegistryClient.jwtPayload(http.as(robot.auth()).token("repository:" + project + "/app:pull,push").json()
            .path("token").asString()).path("access");
        assertThat(actions(access, project + "/app")).containsExactly("pull");
    }

    @Test
    void systemRobotSpansTheProjectsItNames() {
        String a = unique("sa");
        String b = unique("sb");
        String c = unique("sc");
        for (String p : List.of(a, b, c)) {
            createProject(p, false, ADMIN);
            assertThat(http.as(ADMIN).tryPush(p + "/app", "v1", TestImage.simple(p)).ok()).isTrue();
        }
        Map<String, List<String>> permissions = new LinkedHashMap<>();
        permissions.put(a, List.of("pull"));
        permissions.put(b, List.of("pull", "push"));
        String name = unique("sys");
        Created robot = create(name, "system", -1, permissions);
        assertThat(robot.name()).isEqualTo("robot$" + name);
        JsonNode read = http.as(ADMIN).get("/api/v2.0/robots/" + robot.id()).json();
        assertThat(read.path("level").asString()).isEqualTo("system");
        assertThat(read.path("permissions").valueStream().map(p -> p.path("namespace").asString()).toList())
            .containsExactlyInAnyOrder(a, b);

        assertThat(http.as(robot.auth()).getManifest(a + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(http.as(robot.auth()).getManifest(b + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertOciError(http.as(robot.auth()).getManifest(c + "/app", "v1", TestImage.OCI_MANIFEST), 403, "DENIED");
        assertOciError(http.as(robot.auth()).send("POST", "/v2/" + a + "/app/blobs/uploads/", null), 403, "DENIED");
        assertThat(http.as(robot.auth()).tryPush(b + "/app", "v2", TestImage.simple(b + "2")).ok()).isTrue();

        JsonNode access = RegistryClient.jwtPayload(http.as(robot.auth()).token("repository:" + a + "/app:pull,push", "repository:" + b + "/app:pull,push", "repository:" + c + "/app:pull,push").json().path("token").asString()).path("access");
        assertThat(actions(access, a + "/app")).containsExactly("pull");
        assertThat(actions(access, b + "/app")).containsExactlyInAnyOrder("pull", "push");
        assertThat(actions(access, c + "/app")).isEmpty();
    }

    @Test
    void systemRobotWithStarReachesEveryProjectButNotMissingOnes() {
        String a = unique("star");
        createProject(a, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(a + "/app", "v1", TestImage.simple(a)).ok()).isTrue();
        Created robot = create(unique("all"), "system", -1, Map.of("*", List.of("pull", "push")));
        assertThat(http.as(robot.auth()).getManifest(a + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(http.as(robot.auth()).tryPush(a + "/other", "v1", TestImage.simple(a + "o")).ok()).isTrue();
        assertThat(http.as(robot.auth()).tryPush("library/" + unique("r"), "v1", TestImage.simple("lib")).ok()).isTrue();
        // a project created later is covered too
        String later = unique("later");
        createProject(later, false, ADMIN);
        assertThat(http.as(robot.auth()).tryPush(later + "/app", "v1", TestImage.simple(later)).ok()).isTrue();
        // '*' never creates projects
        assertOciError(http.as(robot.auth()).send("POST", "/v2/" + unique("nope") + "/app/blobs/uploads/", null), 403, "DENIED");
    }

    @Test
    void invalidRobotRequestsAreRefused() {
        String project = unique("rbad");
        String second = unique("rbad2");
        createProject(project, false, ADMIN);
        createProject(second, false, ADMIN);
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("Bad Name", "project", -1, Map.of(project, List.of("pull")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("zero", "project", 0, Map.of(project, List.of("pull")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("act", "project", -1, Map.of(project, List.of("admin")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("two", "project", -1,
            Map.of(project, List.of("pull"), second, List.of("pull")))), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("star", "project", -1, Map.of("*", List.of("pull")))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", robot("ghost", "system", -1, Map.of(unique("ghost"), List.of("pull")))),
            404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/robots", Map.of("name", "noperm", "level", "system", "duration", -1)),
            400, "BAD_REQUEST");
    }

    @Test
    void refreshingTheSecretRetiresTheOldOne() {
        String project = unique("rref");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("refresh", "project", -1, Map.of(project, List.of("pull")));
        assertThat(http.as(robot.auth()).token().status()).isEqualTo(200);
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).as("warms the login cache").isEqualTo(200);

        Response refreshed = http.as(ADMIN).patch("/api/v2.0/robots/" + robot.id(), Map.of());
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        String secret = refreshed.json().path("secret").asString();
        assertThat(secret).isNotBlank().isNotEqualTo(robot.secret());

        assertOciError(http.as(robot.auth()).token(), 401, "UNAUTHORIZED");
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).as("the old secret stops working on /v2 at once")
            .isEqualTo(401);
        Credentials fresh = Credentials.basic(robot.name(), secret);
        assertThat(http.as(fresh).token().status()).isEqualTo(200);
        assertThat(http.as(fresh).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        // a chosen secret must meet the password policy
        assertHarborError(http.as(ADMIN).patch("/api/v2.0/robots/" + robot.id(), Map.of("secret", "weak")), 400, "BAD_REQUEST");
        Response chosen = http.as(ADMIN).patch("/api/v2.0/robots/" + robot.id(), Map.of("secret", "Ch0senSecret"));
        assertThat(chosen.status()).as("%s", chosen).isEqualTo(200);
        assertThat(chosen.json().path("secret").asString()).isEqualTo("Ch0senSecret");
        assertThat(http.as(Credentials.basic(robot.name(), "Ch0senSecret")).token().status()).isEqualTo(200);
        assertOciError(http.as(fresh).token(), 401, "UNAUTHORIZED");
    }

    @Test
    void disabledRobotCannotLogIn() {
        String project = unique("rdis");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("off", "project", -1, Map.of(project, List.of("pull")));
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        Map<String, Object> update = new LinkedHashMap<>(robot("off", "project", -1, Map.of(project, List.of("pull"))));
        update.put("disable", true);
        Response disabled = http.as(ADMIN).put("/api/v2.0/robots/" + robot.id(), update);
        assertThat(disabled.status()).as("%s", disabled).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/robots/" + robot.id()).json().path("disable").asBoolean()).isTrue();

        assertOciError(http.as(robot.auth()).token(), 401, "UNAUTHORIZED");
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(401);
        assertHarborError(http.as(robot.auth()).get("/api/v2.0/projects/" + project), 401, "UNAUTHORIZED");

        update.put("disable", false);
        assertThat(http.as(ADMIN).put("/api/v2.0/robots/" + robot.id(), update).status()).isEqualTo(200);
        assertThat(http.as(robot.auth()).token().status()).isEqualTo(200);
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
    }

    @Test
    void expiredRobotCannotLogIn() {
        String project = unique("rttl");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("ttl", "project", 1, Map.of(project, List.of("pull")));
        JsonNode read = http.as(ADMIN).get("/api/v2.0/robots/" + robot.id()).json();
        assertThat(read.path("duration").asInt()).isEqualTo(1);
        assertThat(read.path("expires_at").asLong()).isCloseTo(Instant.now().plus(1, ChronoUnit.DAYS).getEpochSecond(), within(120L));
        assertThat(http.as(robot.auth()).token().status()).isEqualTo(200);

        int rows = jdbc.update("UPDATE robot SET expires_at = now() - interval '1 minute' WHERE id = ?", robot.id());
        assertThat(rows).isEqualTo(1);

        assertOciError(http.as(robot.auth()).token(), 401, "UNAUTHORIZED");
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(401);
        assertHarborError(http.as(robot.auth()).get("/api/v2.0/projects/" + project), 401, "UNAUTHORIZED");
    }

    @Test
    void expiredRobotIsRefusedEvenRightAfterASuccessfulRequest() {
        String project = unique("rttl2");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("ttl", "project", 1, Map.of(project, List.of("pull")));
        // a /v2 request with Basic credentials, as docker does on every call
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        jdbc.update("UPDATE robot SET expires_at = now() - interval '1 minute' WHERE id = ?", robot.id());

        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status())
            .as("an expired robot is refused on /v2 even when its last check was a moment ago").isEqualTo(401);
    }

    @Test
    void robotsCannotManageUsersProjectsMembersOrRobots() {
        String project = unique("rmng");
        createProject(project, false, ADMIN);
        Created robot = create("all", "project", -1, Map.of(project, List.of("pull", "push", "delete")));
        Created system = create(unique("sysall"), "system", -1, Map.of("*", List.of("pull", "push", "delete")));
        String victim = unique("victim");
        long victimId = createUser(victim);

        for (Created r : List.of(robot, system)) {
            Credentials auth = r.auth();
            assertHarborError(http.as(auth).get("/api/v2.0/users"), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).post("/api/v2.0/users", Map.of("username", unique("x"), "password", PASSWORD)), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).get("/api/v2.0/users/current"), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).put("/api/v2.0/users/" + victimId + "/sysadmin", Map.of("sysadmin_flag", true)), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).put("/api/v2.0/users/" + victimId + "/password", Map.of("new_password", "Hijack3dPass")),
                403, "FORBIDDEN");
            assertHarborError(http.as(auth).delete("/api/v2.0/users/" + victimId), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).post("/api/v2.0/projects", Map.of("project_name", unique("robotproj"))), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).put("/api/v2.0/projects/" + project, Map.of("metadata", Map.of("public", "true"))),
                403, "FORBIDDEN");
            assertHarborError(http.as(auth).delete("/api/v2.0/projects/" + project), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", 1, "member_user", Map.of("username", victim))), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).post("/api/v2.0/robots", robot(unique("spawn"), "project", -1,
                Map.of(project, List.of("pull")))), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).patch("/api/v2.0/robots/" + r.id(), Map.of()), 403, "FORBIDDEN");
            assertHarborError(http.as(auth).delete("/api/v2.0/robots/" + r.id()), 403, "FORBIDDEN");
        }
        assertThat(http.as(ADMIN).get("/api/v2.0/users/" + victimId).json().path("sysadmin_flag").asBoolean()).isFalse();
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project).json().path("metadata").path("public").asString()).isEqualTo("false");
        assertThat(http.as(ADMIN).get("/api/v2.0/robots/" + robot.id()).status()).isEqualTo(200);
    }

    @Test
    void projectAdminsManageTheirProjectRobotsOnly() {
        String project = unique("rpa");
        String foreign = unique("rpf");
        String admin = unique("padmin");
        createUser(admin);
        createProject(project, false, user(admin));
        createProject(foreign, false, ADMIN);

        Response created = http.as(user(admin)).post("/api/v2.0/robots", robot("mine", "project", -1, Map.of(project, List.of("pull"))));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.json().path("id").asLong();
        assertThat(http.as(user(admin)).get("/api/v2.0/robots/" + id).status()).isEqualTo(200);
        assertThat(http.as(user(admin)).patch("/api/v2.0/robots/" + id, Map.of()).status()).isEqualTo(200);

        assertHarborError(http.as(user(admin)).post("/api/v2.0/robots", robot("theirs", "project", -1, Map.of(foreign, List.of("pull")))),
            403, "FORBIDDEN");
        assertHarborError(http.as(user(admin)).post("/api/v2.0/robots", robot(unique("sys"), "system", -1, Map.of(project, List.of("pull")))),
            403, "FORBIDDEN");
        assertHarborError(http.as(user(admin)).get("/api/v2.0/robots"), 403, "FORBIDDEN");

        // a developer of the project sees its robots but cannot manage them
        String dev = unique("dev");
        createUser(dev);
        addMember(project, dev, 2);
        assertThat(http.as(user(dev)).get("/api/v2.0/robots/" + id).status()).isEqualTo(200);
        assertHarborError(http.as(user(dev)).delete("/api/v2.0/robots/" + id), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().get("/api/v2.0/robots/" + id), 401, "UNAUTHORIZED");

        assertThat(http.as(user(admin)).delete("/api/v2.0/robots/" + id).status()).isEqualTo(200);
    }

    @Test
    void deletedRobotIsGone() {
        String project = unique("rdel");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "v1", TestImage.simple(project)).ok()).isTrue();
        Created robot = create("gone", "project", -1, Map.of(project, List.of("pull")));
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        Response deleted = http.as(ADMIN).delete("/api/v2.0/robots/" + robot.id());
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/robots/" + robot.id()), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/robots/" + robot.id()), 404, "NOT_FOUND");
        assertOciError(http.as(robot.auth()).token(), 401, "UNAUTHORIZED");
        assertThat(http.as(robot.auth()).getManifest(project + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(401);

        // the name is free again, with a new secret
        Created again = create("gone", "project", -1, Map.of(project, List.of("pull")));
        assertThat(again.name()).isEqualTo(robot.name());
        assertOciError(http.as(robot.auth()).token(), 401, "UNAUTHORIZED");
        assertThat(http.as(again.auth()).token().status()).isEqualTo(200);
    }

    private Created create(String name, String level, int duration, Map<String, List<String>> permissions) {
        Response response = http.as(ADMIN).post("/api/v2.0/robots", robot(name, level, duration, permissions));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        JsonNode body = response.json();
        return new Created(body.path("id").asLong(), body.path("name").asString(), body.path("secret").asString(), body);
    }

    /** Harbor's robot request body. */
    static Map<String, Object> robot(String name, String level, int duration, Map<String, List<String>> permissions) {
        List<Map<String, Object>> items = permissions.entrySet().stream()
            .map(e -> Map.<String, Object>of("kind", "project", "namespace", e.getKey(),
                "access", e.getValue().stream().map(a -> Map.of("resource", "repository", "action", a)).toList()))
            .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "robot " + name);
        body.put("level", level);
        body.put("duration", duration);
        body.put("disable", false);
        body.put("permissions", items);
        return body;
    }

    /** The actions a token's access claim grants on repository {@code name}. */
    private static List<String> actions(JsonNode access, String name) {
        return access.valueStream()
            .filter(a -> "repository".equals(a.path("type").asString()) && name.equals(a.path("name").asString()))
            .flatMap(a -> a.path("actions").valueStream().map(JsonNode::asString))
            .toList();
    }
}
