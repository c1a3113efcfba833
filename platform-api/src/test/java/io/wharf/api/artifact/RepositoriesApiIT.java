package io.wharf.api.artifact;

import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v2.0/repositories} and {@code /api/v2.0/projects/{p}/repositories[/{r}]}. */
class RepositoriesApiIT extends ArtifactApiIntegrationTest {

    @Test
    void listsTheRepositoriesOfAProjectWithCountsPagedInTheDatabase() {
        String p = unique("repos");
        admin().createProject(p, false);
        admin().push(p + "/a", "v1", TestImage.simple(p + " a1"));
        admin().push(p + "/a", "v2", TestImage.simple(p + " a2"));
        admin().push(p + "/b/c", "v1", TestImage.simple(p + " c"));
        admin().push(p + "/d", "v1", TestImage.simple(p + " d"));

        // Harbor's default order: the newest repository first
        Response first = admin().get("/api/v2.0/projects/" + p + "/repositories?page=1&page_size=2").expect(200);
        assertThat(values(first, "name")).containsExactly(p + "/d", p + "/b/c");
        assertThat(first.header("X-Total-Count")).contains("3");
        assertThat(first.header("Link").orElse("")).contains("page=2").contains("rel=\"next\"");
        Response second = admin().get("/api/v2.0/projects/" + p + "/repositories?page=2&page_size=2").expect(200);
        assertThat(values(second, "name")).containsExactly(p + "/a");
        assertThat(second.header("Link").orElse("")).contains("rel=\"prev\"").doesNotContain("next");
        assertThat(second.json().path(0).path("artifact_count").asLong()).isEqualTo(2);
        assertThat(second.json().path(0).path("pull_count").asLong()).isZero();
        assertThat(second.json().path(0).path("project_id").asLong()).isEqualTo(admin().projectId(p));
        assertThat(second.json().path(0).path("creation_time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(values(admin().get("/api/v2.0/projects/" + p + "/repositories?sort=creation_time"), "name"))
            .containsExactly(p + "/a", p + "/b/c", p + "/d");

        assertThat(values(admin().get("/api/v2.0/projects/" + p + "/repositories?q=name%3D~%2Fb%2F"), "name")).containsExactly(p + "/b/c");
        assertThat(values(admin().get("/api/v2.0/projects/" + p + "/repositories?q=name%3D" + p + "%2Fd"), "name"))
            .containsExactly(p + "/d");
        assertThat(values(admin().get("/api/v2.0/projects/" + p + "/repositories?sort=-name"), "name"))
            .containsExactly(p + "/d", p + "/b/c", p + "/a");
    }

    @Test
    void filtersByListsOfNamesInTheDatabase() {
        String p = unique("lists");
        admin().createProject(p, false);
        for (String repository : List.of("a", "b/c", "d")) {
            admin().push(p + "/" + repository, "v1", TestImage.simple(p + " " + repository));
        }
        String list = "/api/v2.0/projects/" + p + "/repositories?q=";
        // Harbor's union list: any of the names (full names, as for name=v)
        assertThat(values(admin().get(list + RegistryClient.encode("name={" + p + "/a " + p + "/b/c " + p + "/x}")), "name"))
            .containsExactly(p + "/b/c", p + "/a");
        Response counted = admin().get(list + RegistryClient.encode("name={" + p + "/a " + p + "/d}") + "&page_size=1");
        assertThat(counted.header("X-Total-Count")).contains("2");
        // Harbor's intersection list: a repository has one name, so only equal values match
        assertThat(values(admin().get(list + RegistryClient.encode("name=(" + p + "/a " + p + "/d)")), "name")).isEmpty();
        assertThat(values(admin().get(list + RegistryClient.encode("name=(" + p + "/d \"" + p + "/d\")")), "name"))
            .containsExactly(p + "/d");
        assertThat(values(admin().get("/api/v2.0/repositories?q=" + RegistryClient.encode("name={" + p + "/d}")), "name"))
            .containsExactly(p + "/d");
        assertHarborError(admin().get(list + RegistryClient.encode("name={" + p + "/a")), 400, "BAD_REQUEST");
    }

    @Test
    void listsAllRepositoriesTheCallerMaySee() {
        String hidden = unique("hidden");
        String open = unique("open");
        String mine = unique("mine");
        admin().createProject(hidden, false);
        admin().createProject(open, true);
        admin().createProject(mine, false);
        admin().push(hidden + "/app", "v1", TestImage.simple(hidden));
        admin().push(open + "/app", "v1", TestImage.simple(open));
        admin().push(mine + "/app", "v1", TestImage.simple(mine));
        Credentials guest = user(mine, TestAccounts.ROLE_GUEST);

        String all = "/api/v2.0/repositories?page_size=100&q=name%3D~";
        assertThat(values(admin().get(all + hidden), "name")).containsExactly(hidden + "/app");
        assertThat(values(http().as(guest).get(all + hidden), "name")).isEmpty();
        assertThat(values(http().as(guest).get(all + mine), "name")).containsExactly(mine + "/app");
        assertThat(values(http().as(guest).get(all + open), "name")).containsExactly(open + "/app");
        assertThat(values(http().get(all + open), "name")).containsExactly(open + "/app");
        assertThat(values(http().get(all + mine), "name")).isEmpty();
    }

    @Test
    void namesWithSlashesAreDoubleEncodedInPaths() {
        String p = unique("enc");
        admin().createProject(p, false);
        admin().push(p + "/app/api", "v1", TestImage.simple(p));

        Response repository = admin().get("/api/v2.0/projects/" + p + "/repositories/app%252Fapi").expect(200);
        assertThat(repository.json().path("name").asString()).isEqualTo(p + "/app/api");
        assertThat(repository.json().path("artifact_count").asLong()).isEqualTo(1);
        Response artifacts = admin().get("/api/v2.0/projects/" + p + "/repositories/app%252Fapi/artifacts").expect(200);
        assertThat(artifacts.json().path(0).path("repository_name").asString()).isEqualTo(p + "/app/api");
        assertThat(admin().get("/api/v2.0/projects/" + p + "/repositories/app%252Fapi/artifacts/v1").status()).isEqualTo(200);
        assertHarborError(admin().get("/api/v2.0/projects/" + p + "/repositories/app%252Fnope"), 404, "NOT_FOUND");
    }

    @Test
    void aSingleEncodedSlashInAnApiPathIsNotFoundInHarborsErrorFormat() {
        String p = unique("enc1");
        admin().createProject(p, false);
        admin().push(p + "/app/api", "v1", TestImage.simple(p));
        // behind Harbor's proxy app%2Fapi arrives decoded, one segment too many for any route: 404
        String single = "/api/v2.0/projects/" + p + "/repositories/app%2Fapi";
        for (String path : List.of(single, single + "/artifacts", single + "/artifacts/v1", "/api/v2.0/projects/" + p + "%2Fx")) {
            assertHarborError(admin().get(path), 404, "NOT_FOUND");
            assertHarborError(http().get(path), 404, "NOT_FOUND");
        }
        assertHarborError(admin().delete(single), 404, "NOT_FOUND");
        assertHarborError(admin().get(single.replace("%2F", "%2f")), 404, "NOT_FOUND");
        // what else the firewall refuses is a 400 in the same format
        assertHarborError(admin().get("/api/v2.0/projects/" + p + ";x=1"), 400, "BAD_REQUEST");
        admin().getManifest(p + "/app/api", "v1").expect(200);
        // the documented double encoding still names the repository
        admin().get("/api/v2.0/projects/" + p + "/repositories/app%252Fapi/artifacts/v1").expect(200);
    }

    @Test
    void theDescriptionIsChangedByDevelopersButNotByGuests() {
        String p = unique("desc");
        admin().createProject(p, false);
        admin().push(p + "/app", "v1", TestImage.simple(p));
        String path = repositoryPath(p + "/app");

        Response denied = http().as(user(p, TestAccounts.ROLE_GUEST)).put(path, "{\"description\":\"nope\"}");
        assertHarborError(denied, 403, "FORBIDDEN");
        assertHarborError(http().put(path, "{\"description\":\"nope\"}"), 401, "UNAUTHORIZED");
        http().as(user(p, TestAccounts.ROLE_DEVELOPER)).put(path, "{\"description\":\"The app\"}").expect(200);

        Response read = admin().get(path).expect(200);
        assertThat(read.json().path("description").asString()).isEqualTo("The app");
        assertThat(read.json().path("update_time").asString()).isGreaterThanOrEqualTo(read.json().path("creation_time").asString());
    }

    @Test
    void deletingARepositoryRemovesItsArtifactsAndTagsForMaintainersOnly() {
        String p = unique("delrepo");
        admin().createProject(p, false);
        String name = p + "/app";
        String digest = admin().push(name, "v1", TestImage.simple(p + " 1"));
        admin().push(name, "v2", TestImage.simple(p + " 2"));

        assertHarborError(http().as(user(p, TestAccounts.ROLE_DEVELOPER)).delete(repositoryPath(name)), 403, "FORBIDDEN");
        assertHarborError(http().delete(repositoryPath(name)), 401, "UNAUTHORIZED");
        http().as(user(p, TestAccounts.ROLE_MAINTAINER)).delete(repositoryPath(name)).expect(200);

        assertHarborError(admin().get(repositoryPath(name)), 404, "NOT_FOUND");
        assertThat(admin().getManifest(name, digest).status()).isEqualTo(404);
        assertThat(admin().catalogNames()).doesNotContain(name);
        assertHarborError(admin().delete(repositoryPath(name)), 404, "NOT_FOUND");
        // the project is empty again, so it can be deleted
        admin().delete("/api/v2.0/projects/" + p).expect(200);
    }

    @Test
    void errorsHaveHarborsShape() {
        String p = unique("err");
        admin().createProject(p, false);
        assertHarborError(admin().get("/api/v2.0/projects/" + unique("nope") + "/repositories"), 404, "NOT_FOUND");
        assertHarborError(admin().get("/api/v2.0/projects/" + p + "/repositories?page_size=101"), 400, "BAD_REQUEST");
        assertHarborError(admin().get("/api/v2.0/projects/" + p + "/repositories?q=color%3Dred"), 400, "BAD_REQUEST");
        assertHarborError(admin().get("/api/v2.0/projects/" + p + "/repositories?sort=color"), 400, "BAD_REQUEST");
        assertHarborError(http().get("/api/v2.0/projects/" + p + "/repositories"), 401, "UNAUTHORIZED");
        assertHarborError(http().as(user(p, 0)).get("/api/v2.0/projects/" + p + "/repositories"), 403, "FORBIDDEN");
    }
}
