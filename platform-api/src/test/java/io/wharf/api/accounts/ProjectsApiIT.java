package io.wharf.api.accounts;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient.Push;
import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v2.0/projects} and {@code .../members}; projects as the boundary of {@code /v2} pushes. */
class ProjectsApiIT extends AccountsIntegrationTest {

    private static final Map<Integer, String> ROLE_NAMES =
        Map.of(1, "projectAdmin", 2, "developer", 3, "guest", 4, "maintainer", 5, "limitedGuest");

    @Test
    void createsAProjectWithLocationAndTheCreatorAsProjectAdmin() {
        String owner = unique("owner");
        long ownerId = createUser(owner);
        String name = unique("proj");
        Response created = http.as(user(owner)).post("/api/v2.0/projects", Map.of("project_name", name, "metadata", Map.of("public", "false")));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = idFromLocation(created);
        assertThat(created.header("Location")).contains("/api/v2.0/projects/" + id);

        JsonNode project = http.as(user(owner)).get("/api/v2.0/projects/" + id).json();
        assertThat(project.path("project_id").asLong()).isEqualTo(id);
        assertThat(project.path("name").asString()).isEqualTo(name);
        assertThat(project.path("owner_id").asLong()).isEqualTo(ownerId);
        assertThat(project.path("owner_name").asString()).isEqualTo(owner);
        assertThat(project.path("metadata").path("public").asString()).as("Harbor's metadata values are strings").isEqualTo("false");
        assertThat(project.path("repo_count").asInt()).isZero();
        assertThat(project.path("current_user_role_id").asInt()).isEqualTo(1);
        assertThat(project.path("creation_time").asString()).isNotBlank();
        assertThat(project.path("update_time").asString()).isNotBlank();

        JsonNode members = http.as(user(owner)).get("/api/v2.0/projects/" + name + "/members").json();
        assertThat(members.size()).isEqualTo(1);
        assertThat(members.get(0).path("entity_name").asString()).isEqualTo(owner);
        assertThat(members.get(0).path("role_id").asInt()).isEqualTo(1);

        // Harbor's deprecated boolean "public" is understood too
        String open = unique("open");
        assertThat(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", open, "public", true)).status()).isEqualTo(201);
        assertThat(http.anonymous().get("/api/v2.0/projects/" + open).json().path("metadata").path("public").asString()).isEqualTo("true");
    }

    @Test
    void duplicateBadAndAnonymousCreationsAreRefused() {
        String name = unique("dup");
        createProject(name, false, ADMIN);
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", name)), 409, "CONFLICT");
        for (String bad : List.of("Upper" + name, "-lead", "trail-", "a b", "a/b", "x".repeat(256), "")) {
            assertHarborError(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", bad)), 400, "BAD_REQUEST");
        }
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects", Map.of("metadata", Map.of("public", "true"))), 400, "BAD_REQUEST");
        Response anonymous = http.anonymous().post("/api/v2.0/projects", Map.of("project_name", unique("anon")));
        assertHarborError(anonymous, 401, "UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void headTellsWhetherANameIsTaken() {
        String name = unique("head");
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=" + name).status()).isEqualTo(404);
        createProject(name, false, ADMIN);
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=" + name).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=library").status()).isEqualTo(200);
        assertThat(http.anonymous().head("/api/v2.0/projects?project_name=library").status()).isEqualTo(200);
    }

    /** As in Harbor (HeadProject requires read access to the project), a private project's existence is not told to strangers. */
    @Test
    void headDoesNotRevealPrivateProjectsToAnonymousCallers() {
        String name = unique("secret");
        createProject(name, false, ADMIN);
        assertThat(http.anonymous().head("/api/v2.0/projects?project_name=" + name).status()).isEqualTo(401);
    }

    /** Harbor accepts only "true" and "false" in {@code metadata.public} and answers 400 otherwise. */
    @Test
    void rejectsPublicMetadataThatIsNotTrueOrFalse() {
        String name = unique("meta");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects", Map.of("project_name", name, "metadata", Map.of("public", "yes"))),
            400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=" + name).status()).isEqualTo(404);
        createProject(name, true, ADMIN);
        assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + name, Map.of("metadata", Map.of("public", "nope"))),
            400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + name).json().path("metadata").path("public").asString()).isEqualTo("true");
    }

    @Test
    void listsProjectsWithHarborPaging() {
        String prefix = unique("pg");
        for (int i = 0; i < 5; i++) {
            createProject(prefix + "-" + i, false, ADMIN);
        }
        String base = "/api/v2.0/projects?name=" + prefix + "&page_size=2&page=";
        Response first = http.as(ADMIN).get(base + 1);
        assertThat(names(first, "name")).containsExactly(prefix + "-0", prefix + "-1");
        assertThat(first.header("X-Total-Count")).contains("5");
        String firstLink = first.header("Link").orElseThrow(() -> new AssertionError("no Link: " + first));
        assertThat(firstLink).contains("rel=\"next\"").doesNotContain("rel=\"prev\"").contains("page=2").contains("page_size=2")
            .contains("name=" + prefix);

        Response second = http.as(ADMIN).get(base + 2);
        assertThat(names(second, "name")).containsExactly(prefix + "-2", prefix + "-3");
        assertThat(second.header("X-Total-Count")).contains("5");
        String secondLink = second.header("Link").orElseThrow();
        assertThat(secondLink).contains("rel=\"prev\"").contains("rel=\"next\"");
        assertThat(linkTarget(secondLink, "prev")).contains("page=1");
        assertThat(linkTarget(secondLink, "next")).contains("page=3");

        Response third = http.as(ADMIN).get(base + 3);
        assertThat(names(third, "name")).containsExactly(prefix + "-4");
        assertThat(third.header("Link").orElseThrow()).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");

        // following the next link gives the next page
        Response followed = http.as(ADMIN).get(linkTarget(firstLink, "next"));
        assertThat(names(followed, "name")).containsExactly(prefix + "-2", prefix + "-3");

        Response beyond = http.as(ADMIN).get(base + 9);
        assertThat(names(beyond, "name")).isEmpty();
        assertThat(beyond.header("X-Total-Count")).contains("5");
    }

    @Test
    void listTakesHarborsQueryWithListsOfNames() {
        String prefix = unique("ql");
        for (String suffix : List.of("-a", "-b", "-c")) {
            createProject(prefix + suffix, suffix.equals("-b"), ADMIN);
        }
        String q = "/api/v2.0/projects?q=";
        // Harbor's console asks name={a b} for several projects: any of them
        assertThat(names(http.as(ADMIN).get(q + RegistryClient.encode("name={" + prefix + "-c " + prefix + "-a " + prefix + "-x}")), "name"))
            .containsExactly(prefix + "-a", prefix + "-c");
        // an intersection list: a project has one name, so only equal values match
        assertThat(names(http.as(ADMIN).get(q + RegistryClient.encode("name=(" + prefix + "-a " + prefix + "-b)")), "name")).isEmpty();
        assertThat(names(http.as(ADMIN).get(q + RegistryClient.encode("name=(" + prefix + "-a)")), "name")).containsExactly(prefix + "-a");
        assertThat(names(http.as(ADMIN).get(q + RegistryClient.encode("name=" + prefix + "-b")), "name")).containsExactly(prefix + "-b");
        assertThat(names(http.as(ADMIN).get(q + RegistryClient.encode("name=~" + prefix + ",public=false")), "name"))
            .containsExactly(prefix + "-a", prefix + "-c");
        // the name parameter, a fragment, takes the place of q's name, as in Harbor
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&q=" + RegistryClient.encode("name=" + prefix + "-a")),
            "name")).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c");
        assertHarborError(http.as(ADMIN).get(q + RegistryClient.encode("public=maybe")), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get(q + RegistryClient.encode("name={}")), 400, "BAD_REQUEST");
    }

    @Test
    void listShowsOnlyWhatTheCallerMaySee() {
        String prefix = unique("vis");
        createProject(prefix + "-private", false, ADMIN);
        createProject(prefix + "-public", true, ADMIN);
        String member = unique("mem");
        createUser(member);
        createProject(prefix + "-mine", false, user(member));

        assertThat(names(http.anonymous().get("/api/v2.0/projects?name=" + prefix), "name")).containsExactly(prefix + "-public");
        assertThat(names(http.as(user(member)).get("/api/v2.0/projects?name=" + prefix), "name"))
            .containsExactly(prefix + "-mine", prefix + "-public");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix), "name"))
            .containsExactly(prefix + "-mine", prefix + "-private", prefix + "-public");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&public=true"), "name"))
            .containsExactly(prefix + "-public");

        assertHarborError(http.anonymous().get("/api/v2.0/projects/" + prefix + "-private"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(user(member)).get("/api/v2.0/projects/" + prefix + "-private"), 403, "FORBIDDEN");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("missing")), 404, "NOT_FOUND");
    }

    @Test
    void readsByNameAndById() {
        String name = unique("both");
        long id = createProject(name, false, ADMIN);
        JsonNode byName = http.as(ADMIN).get("/api/v2.0/projects/" + name).json();
        JsonNode byId = http.as(ADMIN).get("/api/v2.0/projects/" + id).json();
        assertThat(byName.path("project_id").asLong()).isEqualTo(id);
        assertThat(byId.path("name").asString()).isEqualTo(name);
        assertThat(byId).isEqualTo(byName);
    }

    @Test
    void updatesPublicMetadata() {
        String name = unique("pub");
        createProject(name, false, ADMIN);
        assertHarborError(http.anonymous().get("/api/v2.0/projects/" + name), 401, "UNAUTHORIZED");

        Response update = http.as(ADMIN).put("/api/v2.0/projects/" + name, Map.of("metadata", Map.of("public", "true")));
        assertThat(update.status()).as("%s", update).isEqualTo(200);
        Response anonymous = http.anonymous().get("/api/v2.0/projects/" + name);
        assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(200);
        assertThat(anonymous.json().path("metadata").path("public").asString()).isEqualTo("true");

        // anonymous pulls work in a public project, and stop when it turns private again
        assertThat(http.as(ADMIN).tryPush(name + "/app", "v1", TestImage.simple(name)).ok()).isTrue();
        String token = http.anonymous().token("repository:" + name + "/app:pull").json().path("token").asString();
        assertThat(http.as(Credentials.bearer(token)).getManifest(name + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);

        assertThat(http.as(ADMIN).put("/api/v2.0/projects/" + name, Map.of("metadata", Map.of("public", "false"))).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + name).json().path("metadata").path("public").asString()).isEqualTo("false");
        assertHarborError(http.anonymous().get("/api/v2.0/projects/" + name), 401, "UNAUTHORIZED");
        JsonNode access = RegistryClient.jwtPayload(http.anonymous().token("repository:" + name + "/app:pull").json().path("token").asString()).path("access");
        assertThat(access.path(0).path("actions").size()).as("anonymous gets no actions on a private project: %s", access).isZero();

        // only the project admin may change settings
        String guest = unique("guest");
        createUser(guest);
        addMember(name, guest, 3);
        assertHarborError(http.as(user(guest)).put("/api/v2.0/projects/" + name, Map.of("metadata", Map.of("public", "true"))),
            403, "FORBIDDEN");
    }

    @Test
    void aProjectWithRepositoriesCannotBeDeleted() {
        String name = unique("full");
        long id = createProject(name, false, ADMIN);
        Push push = http.as(ADMIN).tryPush(name + "/app", "v1", TestImage.simple(name));
        assertThat(push.ok()).as("%s", push.response()).isTrue();
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + name).json().path("repo_count").asInt()).isEqualTo(1);

        JsonNode error = assertHarborError(http.as(ADMIN).delete("/api/v2.0/projects/" + name), 412, "PRECONDITION");
        assertThat(error.path("message").asString()).contains(name).containsIgnoringCase("repositor");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + id).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).getManifest(name + "/app", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
    }

    @Test
    void anEmptyProjectIsDeleted() {
        String name = unique("empty");
        long id = createProject(name, false, ADMIN);
        Response deleted = http.as(ADMIN).delete("/api/v2.0/projects/" + id);
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + name), 404, "NOT_FOUND");
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=" + name).status()).isEqualTo(404);
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/projects/" + id), 404, "NOT_FOUND");

        // only project admins (and sysadmins) delete
        String other = unique("keep");
        createProject(other, false, ADMIN);
        String maintainer = unique("maint");
        createUser(maintainer);
        addMember(other, maintainer, 4);
        assertHarborError(http.as(user(maintainer)).delete("/api/v2.0/projects/" + other), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().delete("/api/v2.0/projects/" + other), 401, "UNAUTHORIZED");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + other).status()).isEqualTo(200);
    }

    @Test
    void pushingIntoAMissingProjectIsDeniedEvenToTheAdmin() {
        String missing = unique("noproject");
        Response post = http.as(ADMIN).send("POST", "/v2/" + missing + "/x/blobs/uploads/", null);
        assertOciError(post, 403, "DENIED");
        Push push = http.as(ADMIN).tryPush(missing + "/x", "v1", TestImage.simple(missing));
        assertThat(push.ok()).isFalse();
        assertThat(push.response().status()).isEqualTo(403);
        assertThat(http.as(ADMIN).head("/api/v2.0/projects?project_name=" + missing).status()).as("a push never creates a project")
            .isEqualTo(404);

        // with a token the admin gets no actions there either
        JsonNode access = RegistryClient.jwtPayload(http.as(ADMIN).token("repository:" + missing + "/x:pull,push").json().path("token").asString()).path("access");
        assertThat(access.path(0).path("actions").size()).as("%s", access).isZero();
    }

    @Test
    void libraryExistsAndIsPublicAfterBootstrap() {
        Response library = http.anonymous().get("/api/v2.0/projects/library");
        assertThat(library.status()).as("%s", library).isEqualTo(200);
        assertThat(library.json().path("name").asString()).isEqualTo("library");
        assertThat(library.json().path("metadata").path("public").asString()).isEqualTo("true");
        assertThat(names(http.anonymous().get("/api/v2.0/projects?name=library"), "name")).contains("library");
        assertThat(http.as(ADMIN).tryPush("library/hello", "v1", TestImage.simple("library")).ok()).isTrue();
        String token = http.anonymous().token("repository:library/hello:pull,push").json().path("token").asString();
        JsonNode access = RegistryClient.jwtPayload(token).path("access");
        assertThat(access.path(0).path("actions").valueStream().map(JsonNode::asString).toList()).containsExactly("pull");
        assertThat(http.as(Credentials.bearer(token)).getManifest("library/hello", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
    }

    @Test
    void managesMembersWithEveryRole() {
        String project = unique("team");
        createProject(project, false, ADMIN);
        String name = unique("member");
        long userId = createUser(name);

        Response added = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", 2, "member_user", Map.of("user_id", userId)));
        assertThat(added.status()).as("%s", added).isEqualTo(201);
        long memberId = idFromLocation(added);
        assertThat(added.header("Location")).hasValueSatisfying(l -> assertThat(l).contains("/members/" + memberId));

        JsonNode member = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members/" + memberId).json();
        assertThat(member.path("id").asLong()).isEqualTo(memberId);
        assertThat(member.path("entity_name").asString()).isEqualTo(name);
        assertThat(member.path("entity_id").asLong()).isEqualTo(userId);
        assertThat(member.path("entity_type").asString()).isEqualTo("u");
        assertThat(member.path("role_id").asInt()).isEqualTo(2);
        assertThat(member.path("role_name").asString()).isEqualTo("developer");
        assertThat(member.path("project_id").asLong()).isEqualTo(http.as(ADMIN).get("/api/v2.0/projects/" + project).json()
            .path("project_id").asLong());

        for (int role = 1; role <= 5; role++) {
            Response updated = http.as(ADMIN).put("/api/v2.0/projects/" + project + "/members/" + memberId, Map.of("role_id", role));
            assertThat(updated.status()).as("%s", updated).isEqualTo(200);
            JsonNode read = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members/" + memberId).json();
            assertThat(read.path("role_id").asInt()).isEqualTo(role);
            assertThat(read.path("role_name").asString()).isEqualTo(ROLE_NAMES.get(role));
        }

        Response list = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members?entityname=" + name);
        assertThat(names(list, "entity_name")).containsExactly(name);
        assertThat(list.header("X-Total-Count")).contains("1");

        for (int bad : new int[] {0, 6, -1, 99}) {
            assertHarborError(http.as(ADMIN).put("/api/v2.0/projects/" + project + "/members/" + memberId, Map.of("role_id", bad)),
                400, "BAD_REQUEST");
            String other = unique("bad");
            createUser(other);
            assertHarborError(http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", bad, "member_user", Map.of("username", other))), 400, "BAD_REQUEST");
        }
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("member_user", Map.of("username", name))),
            400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", 2, "member_user", Map.of("username", name))), 409, "CONFLICT");
        assertHarborError(http.as(ADMIN).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", 2, "member_user", Map.of("username", unique("ghost")))), 404, "NOT_FOUND");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members/" + memberId).json().path("role_id").asInt())
            .as("a refused update changes nothing").isEqualTo(5);

        Response removed = http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/members/" + memberId);
        assertThat(removed.status()).as("%s", removed).isEqualTo(200);
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members/" + memberId), 404, "NOT_FOUND");
        assertThat(names(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members"), "entity_name")).doesNotContain(name);
    }

    @Test
    void rolesDecideWhatMembersMayDo() {
        String project = unique("roles");
        createProject(project, false, ADMIN);
        assertThat(http.as(ADMIN).tryPush(project + "/base", "v1", TestImage.simple(project)).ok()).isTrue();
        Map<Integer, String> users = new java.util.TreeMap<>();
        for (int role = 1; role <= 5; role++) {
            String name = unique("r" + role);
            createUser(name);
            addMember(project, name, role);
            users.put(role, name);
        }
        String outsider = unique("out");
        createUser(outsider);

        for (Map.Entry<Integer, String> entry : users.entrySet()) {
            int role = entry.getKey();
            Credentials auth = user(entry.getValue());
            boolean mayPush = role == 1 || role == 2 || role == 4;
            boolean mayManage = role == 1;
            boolean maySeeMembers = role != 5;
            assertThat(http.as(auth).getManifest(project + "/base", "v1", TestImage.OCI_MANIFEST).status()).as("role %d pulls", role).isEqualTo(200);
            Push push = http.as(auth).tryPush(project + "/r" + role, "v1", TestImage.simple(project + role));
            assertThat(push.response().status()).as("role %d push: %s", role, push.response()).isEqualTo(mayPush ? 201 : 403);
            assertThat(http.as(auth).get("/api/v2.0/projects/" + project + "/members").status()).as("role %d lists members", role)
                .isEqualTo(maySeeMembers ? 200 : 403);
            String extra = unique("x");
            createUser(extra);
            Response add = http.as(auth).post("/api/v2.0/projects/" + project + "/members", Map.of("role_id", 3, "member_user", Map.of("username", extra)));
            assertThat(add.status()).as("role %d adds members: %s", role, add).isEqualTo(mayManage ? 201 : 403);
        }
        assertThat(http.as(user(outsider)).getManifest(project + "/base", "v1", TestImage.OCI_MANIFEST).status()).isEqualTo(403);
        assertHarborError(http.as(user(outsider)).get("/api/v2.0/projects/" + project + "/members"), 403, "FORBIDDEN");
        assertHarborError(http.anonymous().get("/api/v2.0/projects/" + project + "/members"), 401, "UNAUTHORIZED");
    }

    /** The URI of the {@code rel} entry of a {@code Link} header. */
    private static String linkTarget(String link, String rel) {
        for (String part : link.split(",")) {
            if (part.contains("rel=\"" + rel + "\"")) {
                return part.substring(part.indexOf('<') + 1, part.indexOf('>'));
            }
        }
        throw new AssertionError("no rel=" + rel + " in " + link);
    }
}
