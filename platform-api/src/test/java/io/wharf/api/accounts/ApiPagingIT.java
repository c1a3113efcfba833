package io.wharf.api.accounts;

import io.wharf.testkit.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of Harbor's paging on {@code /api}, now that the database counts and cuts the pages:
 * pages past the end, the {@code page_size} bounds, totals under filters, and visibility across pages.
 */
class ApiPagingIT extends AccountsIntegrationTest {

    @Test
    void aPageBeyondTheEndIsEmptyWithTheTotalAndNoNextLink() {
        String prefix = unique("beyond");
        for (int i = 0; i < 3; i++) {
            createProject(prefix + "-" + i, false, ADMIN);
        }
        Response beyond = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&page=5&page_size=2");
        assertThat(names(beyond, "name")).isEmpty();
        assertThat(beyond.header("X-Total-Count")).contains("3");
        assertThat(beyond.header("Link").orElse("")).doesNotContain("rel=\"next\"");
        Response last = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&page=2&page_size=2");
        assertThat(names(last, "name")).containsExactly(prefix + "-2");
    }

    @Test
    void pageSizeIsOneToAHundred() {
        String prefix = unique("size");
        createProject(prefix + "-0", false, ADMIN);
        Response hundred = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&page_size=100");
        assertThat(names(hundred, "name")).containsExactly(prefix + "-0");
        assertThat(hundred.header("X-Total-Count")).contains("1");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects?page_size=101"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects?page_size=0"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects?page=0"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects?page=-1"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects?page=2147483647&page_size=100"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/robots?page_size=101"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/users?page_size=0"), 400, "BAD_REQUEST");
    }

    @Test
    void totalsCountOnlyWhatTheFiltersLetThrough() {
        String prefix = unique("filter");
        for (int i = 0; i < 3; i++) {
            createProject(prefix + "-pub-" + i, true, ADMIN);
        }
        for (int i = 0; i < 2; i++) {
            createProject(prefix + "-priv-" + i, false, ADMIN);
        }
        Response publicOnes = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&public=true&page_size=2");
        assertThat(publicOnes.header("X-Total-Count")).contains("3");
        assertThat(names(publicOnes, "name")).containsExactly(prefix + "-pub-0", prefix + "-pub-1");
        assertThat(publicOnes.header("Link").orElseThrow()).contains("public=true").contains("page=2");
        Response privateOnes = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "&public=false");
        assertThat(privateOnes.header("X-Total-Count")).contains("2");
        assertThat(names(privateOnes, "name")).containsExactly(prefix + "-priv-0", prefix + "-priv-1");
        Response narrower = http.as(ADMIN).get("/api/v2.0/projects?name=" + prefix + "-pub-1");
        assertThat(narrower.header("X-Total-Count")).contains("1");
    }

    @Test
    void aNonMemberSeesOnlyPublicProjectsOnEveryPage() {
        String prefix = unique("nonmember");
        String username = unique("outsider");
        createUser(username);
        for (int i = 0; i < 3; i++) {
            createProject(prefix + "-a-priv-" + i, false, ADMIN);
            createProject(prefix + "-b-pub-" + i, true, ADMIN);
        }
        String base = "/api/v2.0/projects?name=" + prefix + "&page_size=2&page=";
        Response first = http.as(user(username)).get(base + 1);
        assertThat(first.header("X-Total-Count")).contains("3");
        assertThat(names(first, "name")).containsExactly(prefix + "-b-pub-0", prefix + "-b-pub-1");
        Response second = http.as(user(username)).get(base + 2);
        assertThat(names(second, "name")).containsExactly(prefix + "-b-pub-2");
        assertThat(second.header("Link").orElseThrow()).doesNotContain("rel=\"next\"");
        Response anonymous = http.anonymous().get(base + 1);
        assertThat(anonymous.header("X-Total-Count")).contains("3");

        addMember(prefix + "-a-priv-1", username, 5);
        Response asMember = http.as(user(username)).get(base + 1);
        assertThat(asMember.header("X-Total-Count")).contains("4");
        assertThat(names(asMember, "name")).containsExactly(prefix + "-a-priv-1", prefix + "-b-pub-0");
    }

    @Test
    void membersArePagedByUsernameWithTheirNameFilter() {
        String project = unique("members");
        createProject(project, false, ADMIN);
        String prefix = unique("mem");
        // added in reverse: Harbor lists members by name, not in the order they were added
        for (int i = 2; i >= 0; i--) {
            createUser(prefix + "-" + i);
            addMember(project, prefix + "-" + i, 2);
        }
        Response all = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members?page_size=3");
        assertThat(all.header("X-Total-Count")).contains("4");
        assertThat(all.header("Link").orElseThrow()).contains("rel=\"next\"");
        Response second = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/members?entityname=" + prefix + "&page=2&page_size=2");
        assertThat(second.header("X-Total-Count")).contains("3");
        assertThat(names(second, "entity_name")).containsExactly(prefix + "-2");
    }

    @Test
    void projectRobotsArePagedByName() {
        String project = unique("robots");
        long projectId = createProject(project, false, ADMIN);
        // created in reverse: Harbor lists robots by name, not in the order they were created
        for (int i = 2; i >= 0; i--) {
            Response created = http.as(ADMIN).post("/api/v2.0/robots", Map.of("name", "bot" + i, "duration", -1, "level", "project",
                "permissions", List.of(Map.of("kind", "project", "namespace", project,
                    "access", List.of(Map.of("resource", "repository", "action", "pull"))))));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
        }
        Response second = http.as(ADMIN).get("/api/v2.0/robots?q=" + java.net.URLEncoder.encode("ProjectID=" + projectId, java.nio.charset.StandardCharsets.UTF_8) + "&page=2&page_size=2");
        assertThat(second.header("X-Total-Count")).contains("3");
        assertThat(names(second, "name")).containsExactly("robot$" + project + "+bot2");
    }
}
