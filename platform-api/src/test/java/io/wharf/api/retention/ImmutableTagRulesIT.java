package io.wharf.api.retention;

import io.wharf.api.accounts.AccountsIntegrationTest;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Immutable tag rules against the running app on PostgreSQL: a matching tag is neither overwritten nor
 * deleted by any writer ({@code /v2} push and deletes, the artifact API's deletes and copy, repository
 * delete), the refusal is 412 naming the tag and the rule; disabled rules and exclude decorations;
 * Harbor's permissions per role and its error shape for bad input.
 */
class ImmutableTagRulesIT extends AccountsIntegrationTest {

    static Map<String, Object> rule(String tagDecoration, String tagPattern, String repoDecoration, String repoPattern, boolean disabled) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("disabled", disabled);
        body.put("action", "immutable");
        body.put("template", "immutable_template");
        body.put("tag_selectors", List.of(Map.of("kind", "doublestar", "decoration", tagDecoration, "pattern", tagPattern)));
        body.put("scope_selectors", Map.of("repository",
            List.of(Map.of("kind", "doublestar", "decoration", repoDecoration, "pattern", repoPattern))));
        return body;
    }

    long createRule(String project, Map<String, Object> body) {
        Response created = http.as(ADMIN).post("/api/v2.0/projects/" + project + "/immutabletagrules", body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return idFromLocation(created);
    }

    private static void assertImmutable(Response refused, String repository, String tag, long ruleId) {
        assertOciError(refused, 412, "PRECONDITION");
        String message = refused.json().path("errors").path(0).path("message").asString();
        assertThat(message).as("docker and skopeo print the message: %s", refused)
            .contains(repository + ":" + tag, "immutable", "immutable tag rule " + ruleId);
    }

    @Test
    void anImmutableTagIsNeitherOverwrittenNorDeletedByAnyWriter() {
        String project = unique("immut");
        createProject(project, false, ADMIN);
        long ruleId = createRule(project, rule("matches", "{v*,release-*}", "repoMatches", "**", false));
        String repo = project + "/app";
        String v1 = http.as(ADMIN).push(repo, "v1", TestImage.simple(project + "-one"));
        http.as(ADMIN).push(repo, "latest", TestImage.simple(project + "-one"));

        // a push onto the tag, of another image or of the same one (as Harbor), is refused
        assertImmutable(http.as(ADMIN).tryPush(repo, "v1", TestImage.simple(project + "-two")).response(), repo, "v1", ruleId);
        TestImage same = TestImage.simple(project + "-one");
        assertImmutable(http.as(ADMIN).putManifest(repo, "v1", same.manifestType(), same.manifest()), repo, "v1", ruleId);
        assertThat(http.as(ADMIN).headManifest(repo, "v1").header("Docker-Content-Digest")).contains(v1);

        // deletes on /v2, by tag and by a digest that carries the tag
        assertImmutable(http.as(ADMIN).deleteManifest(repo, "v1"), repo, "v1", ruleId);
        assertImmutable(http.as(ADMIN).deleteManifest(repo, v1), repo, "v1", ruleId);

        // the artifact API: delete artifact, delete tag, delete repository; Harbor's error shape with the same words
        String artifacts = "/api/v2.0/projects/" + project + "/repositories/app/artifacts/";
        JsonNode error = assertHarborError(http.as(ADMIN).delete(artifacts + v1), 412, "PRECONDITION");
        assertThat(error.path("message").asString()).contains(repo + ":v1", "immutable tag rule " + ruleId);
        assertHarborError(http.as(ADMIN).delete(artifacts + "v1/tags/v1"), 412, "PRECONDITION");
        assertHarborError(http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/repositories/app"), 412, "PRECONDITION");

        // a copy that would move the tag in the target
        http.as(ADMIN).push(project + "/src", "v1", TestImage.simple(project + "-three"));
        assertHarborError(http.as(ADMIN).send("POST", artifacts.replace("/artifacts/", "/artifacts") + "?from=" + project + "/src:v1"),
            412, "PRECONDITION");

        assertThat(http.as(ADMIN).headManifest(repo, "v1").header("Docker-Content-Digest")).contains(v1);
        // a tag no rule selects is as mutable as ever, and so is an immutable one in another project
        assertThat(http.as(ADMIN).tryPush(repo, "latest", TestImage.simple(project + "-four")).ok()).isTrue();
        assertThat(http.as(ADMIN).deleteManifest(repo, "latest").status()).isEqualTo(202);
        // a new tag matching the rule may be pushed once
        assertThat(http.as(ADMIN).tryPush(repo, "release-1", TestImage.simple(project + "-five")).ok()).isTrue();
        assertThat(http.as(ADMIN).tryPush(repo, "release-1", TestImage.simple(project + "-six")).ok()).isFalse();
    }

    @Test
    void disabledRulesAndExcludeDecorationsLeaveTagsMutable() {
        String project = unique("immutx");
        createProject(project, false, ADMIN);
        createRule(project, rule("matches", "**", "repoMatches", "**", true));
        long excludes = createRule(project, rule("excludes", "dev-*", "repoExcludes", "scratch/**", false));
        http.as(ADMIN).push(project + "/app", "dev-1", TestImage.simple(project + "a"));
        http.as(ADMIN).push(project + "/app", "1.0", TestImage.simple(project + "b"));
        http.as(ADMIN).push(project + "/scratch/app", "1.0", TestImage.simple(project + "c"));

        assertThat(http.as(ADMIN).tryPush(project + "/app", "dev-1", TestImage.simple(project + "d")).ok())
            .as("the disabled rule does not apply, the other excludes dev-*").isTrue();
        assertThat(http.as(ADMIN).tryPush(project + "/scratch/app", "1.0", TestImage.simple(project + "e")).ok())
            .as("the repository is excluded").isTrue();
        assertImmutable(http.as(ADMIN).tryPush(project + "/app", "1.0", TestImage.simple(project + "f")).response(),
            project + "/app", "1.0", excludes);

        // the rules are read at each check: deleting the rule makes the tag mutable at once
        assertThat(http.as(ADMIN).delete("/api/v2.0/projects/" + project + "/immutabletagrules/" + excludes).status()).isEqualTo(200);
        assertThat(http.as(ADMIN).tryPush(project + "/app", "1.0", TestImage.simple(project + "f")).ok()).isTrue();
    }

    @Test
    void rulesAreListedAndChangedAsHarborsWithItsPermissions() {
        String project = unique("immutr");
        createProject(project, false, ADMIN);
        String rules = "/api/v2.0/projects/" + project + "/immutabletagrules";
        Map<Integer, String> users = new LinkedHashMap<>();
        for (int role : new int[] {TestAccounts.ROLE_PROJECT_ADMIN, TestAccounts.ROLE_MAINTAINER, TestAccounts.ROLE_DEVELOPER,
            TestAccounts.ROLE_GUEST}) {
            String username = unique("u" + role);
            createUser(username);
            addMember(project, username, role);
            users.put(role, username);
        }
        for (int role : new int[] {TestAccounts.ROLE_PROJECT_ADMIN, TestAccounts.ROLE_MAINTAINER}) {
            Credentials who = user(users.get(role));
            Response created = http.as(who).post(rules, rule("matches", "v*", "repoMatches", "**", false));
            assertThat(created.status()).as("role %s: %s", role, created).isEqualTo(201);
            long id = idFromLocation(created);
            assertThat(http.as(who).put(rules + "/" + id, rule("matches", "v2*", "repoMatches", "app", true)).status()).isEqualTo(200);
            assertThat(http.as(who).get(rules).status()).isEqualTo(200);
            assertThat(http.as(who).delete(rules + "/" + id).status()).isEqualTo(200);
        }
        long id = createRule(project, rule("matches", "v*", "repoMatches", "**", false));
        for (int role : new int[] {TestAccounts.ROLE_DEVELOPER, TestAccounts.ROLE_GUEST}) {
            Credentials who = user(users.get(role));
            assertHarborError(http.as(who).get(rules), 403, "FORBIDDEN");
            assertHarborError(http.as(who).post(rules, rule("matches", "x", "repoMatches", "**", false)), 403, "FORBIDDEN");
            assertHarborError(http.as(who).put(rules + "/" + id, rule("matches", "x", "repoMatches", "**", false)), 403, "FORBIDDEN");
            assertHarborError(http.as(who).delete(rules + "/" + id), 403, "FORBIDDEN");
        }
        assertHarborError(http.anonymous().get(rules), 401, "UNAUTHORIZED");

        Response list = http.as(ADMIN).get(rules);
        assertThat(list.header("X-Total-Count")).contains("1");
        JsonNode json = list.json().get(0);
        assertThat(json.path("id").asLong()).isEqualTo(id);
        assertThat(json.path("action").asString()).isEqualTo("immutable");
        assertThat(json.path("template").asString()).isEqualTo("immutable_template");
        assertThat(json.path("tag_selectors").path(0).path("pattern").asString()).isEqualTo("v*");
        assertThat(json.path("scope_selectors").path("repository").path(0).path("decoration").asString()).isEqualTo("repoMatches");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE resource_type = 'immutable_tag_rule' AND resource LIKE ?",
            Long.class, project + ":%")).as("every change is audited").isEqualTo(7L);
    }

    @Test
    void badRulesAndUnknownIdsAreRefusedInHarborsShape() {
        String project = unique("immutb");
        createProject(project, false, ADMIN);
        String rules = "/api/v2.0/projects/" + project + "/immutabletagrules";
        assertHarborError(http.as(ADMIN).post(rules, rule("contains", "v*", "repoMatches", "**", false)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(rules, rule("matches", "v*", "matches", "**", false)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(rules, rule("matches", "v[1", "repoMatches", "**", false)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(rules, rule("matches", "{v1", "repoMatches", "**", false)), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).post(rules, rule("matches", "", "repoMatches", "**", false)), 400, "BAD_REQUEST");
        Map<String, Object> regex = rule("matches", "v*", "repoMatches", "**", false);
        regex.put("tag_selectors", List.of(Map.of("kind", "regex", "decoration", "matches", "pattern", "v.*")));
        assertHarborError(http.as(ADMIN).post(rules, regex), 400, "BAD_REQUEST");
        Map<String, Object> two = rule("matches", "v*", "repoMatches", "**", false);
        two.put("tag_selectors", List.of(Map.of("kind", "doublestar", "decoration", "matches", "pattern", "a"),
            Map.of("kind", "doublestar", "decoration", "matches", "pattern", "b")));
        assertHarborError(http.as(ADMIN).post(rules, two), 400, "BAD_REQUEST");
        Map<String, Object> noScope = rule("matches", "v*", "repoMatches", "**", false);
        noScope.remove("scope_selectors");
        assertHarborError(http.as(ADMIN).post(rules, noScope), 400, "BAD_REQUEST");
        assertThat(http.as(ADMIN).get(rules).json().size()).as("nothing half-written").isZero();

        assertHarborError(http.as(ADMIN).put(rules + "/999999", rule("matches", "v*", "repoMatches", "**", false)), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).delete(rules + "/999999"), 404, "NOT_FOUND");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("nope") + "/immutabletagrules"), 404, "NOT_FOUND");
        // a rule of another project is not found through this one
        String other = unique("immuto");
        createProject(other, false, ADMIN);
        long foreign = createRule(other, rule("matches", "v*", "repoMatches", "**", false));
        assertHarborError(http.as(ADMIN).delete(rules + "/" + foreign), 404, "NOT_FOUND");
    }
}
