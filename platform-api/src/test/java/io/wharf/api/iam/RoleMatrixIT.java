package io.wharf.api.iam;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.TestAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Harbor's permission matrix, every cell, over HTTP: the five roles (members of the project), a
 * system administrator, a user who is no member, and anonymous, in a private and in a public
 * project. Registry capabilities go through the Docker token flow (token from {@code /service/token}
 * with Basic credentials, then Bearer on {@code /v2}); project capabilities through
 * {@code /api/v2.0} with Basic credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixIT extends IamIntegrationTest {

    /** Who calls. Members have Harbor's {@code role_id}. */
    enum Who {
        SYSTEM_ADMIN(0), PROJECT_ADMIN(1), MAINTAINER(4), DEVELOPER(2), GUEST(3), LIMITED_GUEST(5), NON_MEMBER(0), ANONYMOUS(0);

        final int roleId;

        Who(int roleId) {
            this.roleId = roleId;
        }

        String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String username() {
            return this == SYSTEM_ADMIN ? TestAccounts.ADMIN_USERNAME : "rm-" + slug();
        }

        Credentials creds() {
            return switch (this) {
                case SYSTEM_ADMIN -> Credentials.admin();
                case ANONYMOUS -> Credentials.NONE;
                default -> Credentials.user(username());
            };
        }
    }

    /** The rows of Harbor's matrix. */
    enum Capability { PULL_AND_LIST, SEE_MEMBERS_AND_ROBOTS, PUSH_AND_TAG, DELETE_ARTIFACTS, MANAGE_PROJECT }

    /** The two kinds of project each cell is tried in. */
    enum Visibility {
        PRIVATE, PUBLIC;

        String project() {
            return "rm-" + name().toLowerCase(Locale.ROOT);
        }

        String repository() {
            return project() + "/app";
        }

        String emptyProject(Who who) {
            return project() + "-empty-" + who.slug();
        }
    }

    /** Harbor's matrix for a private project, written out here rather than taken from the code under test. */
    private static final Map<Who, Set<Capability>> PRIVATE_MATRIX = new EnumMap<>(Who.class);

    static {
        PRIVATE_MATRIX.put(Who.SYSTEM_ADMIN, EnumSet.allOf(Capability.class));
        PRIVATE_MATRIX.put(Who.PROJECT_ADMIN, EnumSet.allOf(Capability.class));
        PRIVATE_MATRIX.put(Who.MAINTAINER, EnumSet.of(Capability.PULL_AND_LIST, Capability.SEE_MEMBERS_AND_ROBOTS,
            Capability.PUSH_AND_TAG, Capability.DELETE_ARTIFACTS));
        PRIVATE_MATRIX.put(Who.DEVELOPER, EnumSet.of(Capability.PULL_AND_LIST, Capability.SEE_MEMBERS_AND_ROBOTS,
            Capability.PUSH_AND_TAG));
        PRIVATE_MATRIX.put(Who.GUEST, EnumSet.of(Capability.PULL_AND_LIST, Capability.SEE_MEMBERS_AND_ROBOTS));
        PRIVATE_MATRIX.put(Who.LIMITED_GUEST, EnumSet.of(Capability.PULL_AND_LIST));
        PRIVATE_MATRIX.put(Who.NON_MEMBER, EnumSet.noneOf(Capability.class));
        PRIVATE_MATRIX.put(Who.ANONYMOUS, EnumSet.noneOf(Capability.class));
    }

    /** In a public project everyone, anonymous included, may also pull and list; nothing else changes. */
    static boolean allowed(Visibility visibility, Who who, Capability capability) {
        return PRIVATE_MATRIX.get(who).contains(capability)
            || (visibility == Visibility.PUBLIC && capability == Capability.PULL_AND_LIST);
    }

    static Stream<Arguments> cells() {
        Stream.Builder<Arguments> cells = Stream.builder();
        for (Visibility visibility : Visibility.values()) {
            for (Who who : Who.values()) {
                for (Capability capability : Capability.values()) {
                    cells.add(Arguments.of(visibility, who, capability, allowed(visibility, who, capability) ? "allowed" : "denied"));
                }
            }
        }
        return cells.build();
    }

    private RegistryClient http;
    private final Map<Visibility, Long> projectIds = new EnumMap<>(Visibility.class);
    private final Map<String, String> deletable = new HashMap<>();

    @BeforeAll
    void setUp() {
        http = http();
        for (Who who : Who.values()) {
            if (who != Who.SYSTEM_ADMIN && who != Who.ANONYMOUS) {
                http.asAdmin().createUser(who.username(), TestAccounts.USER_PASSWORD);
            }
        }
        Credentials owner = Who.PROJECT_ADMIN.creds();
        for (Visibility visibility : Visibility.values()) {
            String project = visibility.project();
            // The Project Admin creates the project (and so becomes its Project Admin) and adds the other roles.
            projectIds.put(visibility, http.as(owner).createProject(project, visibility == Visibility.PUBLIC));
            for (Who who : List.of(Who.MAINTAINER, Who.DEVELOPER, Who.GUEST, Who.LIMITED_GUEST)) {
                http.as(owner).addMember(project, who.username(), who.roleId);
            }
            http.asAdmin().push(visibility.repository(), "latest", TestImage.simple(project + " base"));
            for (Who who : Who.values()) {
                deletable.put(visibility + "/" + who,
                    http.asAdmin().push(visibility.repository(), "del-" + who.slug(), TestImage.simple(project + " deletable by " + who)));
                // An empty project where the caller has the same role, for "delete project".
                String empty = visibility.emptyProject(who);
                http.as(owner).createProject(empty, visibility == Visibility.PUBLIC);
                if (who.roleId > 1) {
                    http.as(owner).addMember(empty, who.username(), who.roleId);
                }
                // A user for the caller to try to add as a member.
                http.asAdmin().createUser(spare(visibility, who), TestAccounts.USER_PASSWORD);
            }
        }
    }

    private static String spare(Visibility visibility, Who who) {
        return "rm-spare-" + visibility.name().toLowerCase(Locale.ROOT) + "-" + who.slug();
    }

    @Test
    void membersCarryHarborRoleIdsAndNames() {
        for (Visibility visibility : Visibility.values()) {
            Response members = http.as(Who.PROJECT_ADMIN.creds()).get("/api/v2.0/projects/" + visibility.project() + "/members?page_size=100").expect(200);
            Map<String, String> roles = new HashMap<>();
            for (JsonNode member : members.json()) {
                roles.put(member.path("entity_name").asString(), member.path("role_id").asInt() + " " + member.path("role_name").asString());
                assertThat(member.path("entity_type").asString()).isEqualTo("u");
                assertThat(member.path("project_id").asLong()).isEqualTo(projectIds.get(visibility));
            }
            assertThat(roles).containsEntry(Who.PROJECT_ADMIN.username(), "1 projectAdmin")
                .containsEntry(Who.DEVELOPER.username(), "2 developer")
                .containsEntry(Who.GUEST.username(), "3 guest")
                .containsEntry(Who.MAINTAINER.username(), "4 maintainer")
                .containsEntry(Who.LIMITED_GUEST.username(), "5 limitedGuest")
                .doesNotContainKeys(Who.NON_MEMBER.username(), TestAccounts.ADMIN_USERNAME);
        }
    }

    @Test
    void anEmptyProjectCanBeDeletedWhateverLookalikeProjectsHold() {
        // '_' and '-' are both allowed in project names; a repository in rm-look-alike is not in rm_look_alike.
        Credentials owner = Who.PROJECT_ADMIN.creds();
        http.as(owner).createProject("rm-look-alike", false);
        http.as(owner).createProject("rm_look_alike", false);
        http.as(owner).createProject("rm-look-alike-too", false);
        http.as(owner).push("rm-look-alike/app", "v1", TestImage.simple("look-alike"));
        http.as(owner).push("rm-look-alike-too/app", "v1", TestImage.simple("look-alike too"));

        Response full = http.as(owner).send("DELETE", "/api/v2.0/projects/rm-look-alike", null);
        assertThat(full.status()).as("a project with a repository: %s", full).isEqualTo(412);
        Response empty = http.as(owner).send("DELETE", "/api/v2.0/projects/rm_look_alike", null);
        assertThat(empty.status()).as("an empty project whose name differs by '_' for '-': %s", empty).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} project, {1}, {2}: {3}")
    @MethodSource("cells")
    void cell(Visibility visibility, Who who, Capability capability, String expected) {
        boolean allowed = expected.equals("allowed");
        try {
            switch (capability) {
                case PULL_AND_LIST -> pullAndList(visibility, who, allowed);
                case SEE_MEMBERS_AND_ROBOTS -> seeMembersAndRobots(visibility, who, allowed);
                case PUSH_AND_TAG -> pushAndTag(visibility, who, allowed);
                case DELETE_ARTIFACTS -> deleteArtifacts(visibility, who, allowed);
                case MANAGE_PROJECT -> manageProject(visibility, who, allowed);
            }
        } catch (AssertionError e) {
            throw new AssertionError(visibility + " project, " + who + ", " + capability + " should be " + expected + ": "
                + e.getMessage(), e);
        }
    }

    /** Token with pull, then the manifest, the tag list and the catalog. */
    private void pullAndList(Visibility visibility, Who who, boolean allowed) {
        String repository = visibility.repository();
        String token = http.as(who.creds()).tokenFor("repository:" + repository + ":pull", "registry:catalog:*");
        Credentials bearer = Credentials.bearer(token);
        Response manifest = http.as(bearer).getManifest(repository, "latest", TestImage.OCI_MANIFEST);
        Response tags = http.as(bearer).get("/v2/" + repository + "/tags/list");
        List<String> catalog = http.as(bearer).catalogNames();
        if (allowed) {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").containsExactly("pull");
            assertThat(manifest.status()).as("GET manifest: %s", manifest).isEqualTo(200);
            assertThat(tags.status()).as("GET tags/list: %s", tags).isEqualTo(200);
            assertThat(tags.json().path("tags").toString()).contains("\"latest\"");
            assertThat(catalog).as("catalog").contains(repository);
        } else {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").isEmpty();
            assertInsufficientScope(manifest);
            assertInsufficientScope(tags);
            assertThat(catalog).as("catalog").doesNotContain(repository);
        }
    }

    /** Members and robots of the project, with Basic credentials on the API. */
    private void seeMembersAndRobots(Visibility visibility, Who who, boolean allowed) {
        Response members = http.as(who.creds()).get("/api/v2.0/projects/" + visibility.project() + "/members");
        Response robots = http.as(who.creds()).get("/api/v2.0/robots?q=" + RegistryClient.encode("Level=project,ProjectID=" + projectIds.get(visibility)));
        if (allowed) {
            assertThat(members.status()).as("GET members: %s", members).isEqualTo(200);
            assertThat(members.json().isArray()).isTrue();
            assertThat(members.text()).contains(Who.PROJECT_ADMIN.username());
            assertThat(robots.status()).as("GET robots: %s", robots).isEqualTo(200);
            assertThat(robots.json().isArray()).isTrue();
        } else {
            assertApiDenied(who, members);
            assertApiDenied(who, robots);
        }
    }

    /** Token with pull,push, then a blob upload and a manifest under a new tag. */
    private void pushAndTag(Visibility visibility, Who who, boolean allowed) {
        String repository = visibility.repository();
        String tag = "pushed-by-" + who.slug();
        String token = http.as(who.creds()).tokenFor("repository:" + repository + ":pull,push");
        Credentials bearer = Credentials.bearer(token);
        if (allowed) {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").containsExactlyInAnyOrder("pull", "push");
            TestImage image = TestImage.simple(repository + " pushed by " + who);
            http.as(bearer).pushBlob(repository, image.config());
            http.as(bearer).pushBlob(repository, image.layer());
            Response put = http.as(bearer).putManifest(repository, tag, TestImage.OCI_MANIFEST, image.manifest());
            assertThat(put.status()).as("PUT manifest: %s", put).isEqualTo(201);
            assertThat(http.asAdmin().getManifest(repository, tag, TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        } else {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").doesNotContain("push");
            assertInsufficientScope(http.as(bearer).send("POST", "/v2/" + repository + "/blobs/uploads/", null));
            assertInsufficientScope(http.as(bearer).putManifest(repository, tag, TestImage.OCI_MANIFEST, TestImage.simple(visibility.project() + " base").manifest()));
            assertThat(http.asAdmin().getManifest(repository, tag, TestImage.OCI_MANIFEST).status()).as("the tag was not created").isEqualTo(404);
        }
    }

    /** Token with delete, then DELETE of a tag and of a manifest by digest. */
    private void deleteArtifacts(Visibility visibility, Who who, boolean allowed) {
        String repository = visibility.repository();
        String tag = "del-" + who.slug();
        String digest = deletable.get(visibility + "/" + who);
        String token = http.as(who.creds()).tokenFor("repository:" + repository + ":delete");
        Credentials bearer = Credentials.bearer(token);
        Response byTag = http.as(bearer).send("DELETE", "/v2/" + repository + "/manifests/" + tag, null);
        if (allowed) {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").containsExactly("delete");
            assertThat(byTag.status()).as("DELETE by tag: %s", byTag).isEqualTo(202);
            assertThat(http.asAdmin().getManifest(repository, tag, TestImage.OCI_MANIFEST).status()).isEqualTo(404);
            Response byDigest = http.as(bearer).send("DELETE", "/v2/" + repository + "/manifests/" + digest, null);
            assertThat(byDigest.status()).as("DELETE by digest: %s", byDigest).isEqualTo(202);
            assertThat(http.asAdmin().getManifest(repository, digest, TestImage.OCI_MANIFEST).status()).isEqualTo(404);
        } else {
            assertThat(RegistryClient.granted(token, "repository", repository)).as("granted actions").isEmpty();
            assertInsufficientScope(byTag);
            assertInsufficientScope(http.as(bearer).send("DELETE", "/v2/" + repository + "/manifests/" + digest, null));
            assertThat(http.asAdmin().getManifest(repository, tag, TestImage.OCI_MANIFEST).status()).as("the tag survived").isEqualTo(200);
        }
    }

    /** Add a member, create a project robot, change the project's settings, delete an empty project. */
    private void manageProject(Visibility visibility, Who who, boolean allowed) {
        String project = visibility.project();
        Response member = http.as(who.creds()).json("POST", "/api/v2.0/projects/" + project + "/members", Map.of("role_id", 3, "member_user", Map.of("username", spare(visibility, who))));
        Response robot = http.as(who.creds()).json("POST", "/api/v2.0/robots", Map.of(
            "name", "bot-" + who.slug(), "level", "project", "duration", -1,
            "permissions", List.of(Map.of("kind", "project", "namespace", project,
                "access", List.of(Map.of("resource", "repository", "action", "pull"))))));
        Response settings = http.as(who.creds()).json("PUT", "/api/v2.0/projects/" + project, Map.of("metadata", Map.of("public", String.valueOf(visibility == Visibility.PUBLIC))));
        String empty = visibility.emptyProject(who);
        Response delete = http.as(who.creds()).send("DELETE", "/api/v2.0/projects/" + empty, null);
        int exists = http.asAdmin().send("HEAD", "/api/v2.0/projects?project_name=" + empty, null).status();
        if (allowed) {
            assertThat(member.status()).as("POST member: %s", member).isEqualTo(201);
            assertThat(robot.status()).as("POST robot: %s", robot).isEqualTo(201);
            assertThat(robot.json().path("name").asString()).isEqualTo("robot$" + project + "+bot-" + who.slug());
            String robotToken = http.as(Credentials.basic(robot.json().path("name").asString(), robot.json().path("secret").asString())).tokenFor("repository:" + visibility.repository() + ":pull,push");
            assertThat(RegistryClient.granted(robotToken, "repository", visibility.repository())).as("the new robot's token").containsExactly("pull");
            assertThat(settings.status()).as("PUT project: %s", settings).isEqualTo(200);
            assertThat(delete.status()).as("DELETE project: %s", delete).isEqualTo(200);
            assertThat(exists).as("the project is gone").isEqualTo(404);
        } else {
            assertApiDenied(who, member);
            assertApiDenied(who, robot);
            assertApiDenied(who, settings);
            assertApiDenied(who, delete);
            assertThat(exists).as("the project is still there").isEqualTo(200);
        }
    }

    /** A Bearer token without the action: 401 with a challenge naming the scope and {@code insufficient_scope}. */
    private static void assertInsufficientScope(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.challenge()).as("challenge of %s", response)
            .startsWith("Bearer realm=").contains("error=\"insufficient_scope\"");
    }

    /** The API denies users with 403 and asks anonymous callers to authenticate (401). */
    private static void assertApiDenied(Who who, Response response) {
        if (who == Who.ANONYMOUS) {
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
        } else {
            assertThat(response.status()).as("%s", response).isEqualTo(403);
            assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
        }
    }
}
