package io.wharf.api.accounts;

import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project's summary and metadata, the project log and the system audit log: Harbor's shapes, the
 * {@code q} filters, paging, and who may call each (every role, a non-member and anonymous).
 */
class ProjectSettingsAndLogsIT extends AccountsIntegrationTest {

    private static final DateTimeFormatter HARBOR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private String project;
    private String admin;
    private String maintainer;
    private String developer;
    private String guest;
    private String limited;
    private String stranger;

    @BeforeEach
    void project() {
        project = unique("ps");
        admin = unique("ps-admin");
        maintainer = unique("ps-maint");
        developer = unique("ps-dev");
        guest = unique("ps-guest");
        limited = unique("ps-limited");
        stranger = unique("ps-none");
        for (String u : List.of(admin, maintainer, developer, guest, limited, stranger)) {
            createUser(u);
        }
        createProject(project, false, user(admin));
        addMember(project, maintainer, 4);
        addMember(project, developer, 2);
        addMember(project, guest, 3);
        addMember(project, limited, 5);
        http.as(user(developer)).push(project + "/app", "1", TestImage.simple(project));
    }

    @Test
    void summaryCountsRepositoriesAndMembersPerRole() {
        JsonNode summary = http.as(user(guest)).get("/api/v2.0/projects/" + project + "/summary").expect(200).json();
        assertThat(summary.path("repo_count").asLong()).isEqualTo(1);
        assertThat(summary.path("project_admin_count").asLong()).isEqualTo(1);
        assertThat(summary.path("maintainer_count").asLong()).isEqualTo(1);
        assertThat(summary.path("developer_count").asLong()).isEqualTo(1);
        assertThat(summary.path("guest_count").asLong()).isEqualTo(1);
        assertThat(summary.path("limited_guest_count").asLong()).isEqualTo(1);
        // a Limited Guest may not see members: the repository count only, as in Harbor
        JsonNode reduced = http.as(user(limited)).get("/api/v2.0/projects/" + project + "/summary").expect(200).json();
        assertThat(List.copyOf(reduced.propertyNames())).containsExactly("repo_count");
        assertHarborError(http.as(user(stranger)).get("/api/v2.0/projects/" + project + "/summary"), 403, "FORBIDDEN");
        assertHarborError(http.as(Credentials.NONE).get("/api/v2.0/projects/" + project + "/summary"), 401, "UNAUTHORIZED");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/projects/" + unique("nope") + "/summary"), 404, "NOT_FOUND");
    }

    @Test
    void metadataIsReadByAdminsAndMaintainersAndChangedByAdmins() {
        String base = "/api/v2.0/projects/" + project + "/metadatas/";
        for (String reader : List.of(admin, maintainer)) {
            assertThat(http.as(user(reader)).get(base).expect(200).json().path("public").asString()).isEqualTo("false");
        }
        assertThat(http.as(ADMIN).get(base + "public").expect(200).json().path("public").asString()).isEqualTo("false");
        for (String other : List.of(developer, guest, limited, stranger)) {
            assertHarborError(http.as(user(other)).get(base), 403, "FORBIDDEN");
        }
        assertHarborError(http.as(Credentials.NONE).get(base), 401, "UNAUTHORIZED");

        assertHarborError(http.as(user(maintainer)).put(base + "public", Map.of("public", "true")), 403, "FORBIDDEN");
        assertThat(http.as(user(admin)).put(base + "public", Map.of("public", "true")).status()).isEqualTo(200);
        assertThat(http.as(Credentials.NONE).get("/api/v2.0/projects/" + project).status()).as("now public").isEqualTo(200);
        assertThat(http.as(user(admin)).send("DELETE", base + "public").status()).isEqualTo(200);
        assertThat(http.as(user(admin)).get(base + "public").json().path("public").asString()).isEqualTo("false");
        assertThat(http.as(user(admin)).post(base, Map.of("public", "1")).status()).isEqualTo(200);
        assertThat(http.as(user(admin)).get(base).json().path("public").asString()).isEqualTo("true");

        assertHarborError(http.as(user(admin)).put(base + "enable_content_trust", Map.of("enable_content_trust", "true")), 400, "BAD_REQUEST");
        assertThat(http.as(user(admin)).put(base + "enable_content_trust", Map.of("enable_content_trust", "true")).text()).contains("invalid key: enable_content_trust");
        assertHarborError(http.as(user(admin)).put(base + "public", Map.of("public", "maybe")), 400, "BAD_REQUEST");
        assertHarborError(http.as(user(admin)).post(base, Map.of("public", "true", "severity", "low")), 400, "BAD_REQUEST");
        assertHarborError(http.as(user(admin)).send("DELETE", base + "enable_content_trust"), 400, "BAD_REQUEST");
        // severity is a setting since the pull policy: set, read and removed like auto_scan
        assertThat(http.as(user(admin)).put(base + "severity", Map.of("severity", "High")).status()).isEqualTo(200);
        assertThat(http.as(user(admin)).get(base + "severity").json().path("severity").asString()).isEqualTo("high");
        assertThat(http.as(user(admin)).send("DELETE", base + "severity").status()).isEqualTo(200);
    }

    @Test
    void projectLogListsOnlyThatProjectsEntriesForAdminsAndMaintainers() {
        String other = unique("ps-other");
        createProject(other, false, user(admin));
        String path = "/api/v2.0/projects/" + project + "/logs?page_size=100";
        for (String reader : List.of(admin, maintainer)) {
            Response logs = http.as(user(reader)).get(path).expect(200);
            List<String> resources = logs.json().valueStream().map(e -> e.path("resource").asString()).toList();
            assertThat(resources).contains(project, project + ":" + maintainer, project + "/app:1")
                .allMatch(r -> r.equals(project) || r.startsWith(project + ":") || r.startsWith(project + "/"));
            assertThat(logs.header("X-Total-Count")).hasValue(String.valueOf(resources.size()));
        }
        for (String other2 : List.of(developer, guest, limited, stranger)) {
            assertHarborError(http.as(user(other2)).get(path), 403, "FORBIDDEN");
        }
        assertHarborError(http.as(Credentials.NONE).get(path), 401, "UNAUTHORIZED");
        assertThat(http.as(ADMIN).get("/api/v2.0/projects/" + project + "/logs?q=" + RegistryClient.encode("operation=push"))
            .expect(200).json().valueStream().map(e -> e.path("resource").asString()).toList()).containsExactly(project + "/app:1");
        // Harbor's console asks operation={create delete ...} for the operations ticked
        List<String> operations = http.as(ADMIN).get("/api/v2.0/projects/" + project + "/logs?page_size=100&q="
            + RegistryClient.encode("operation={push create}")).expect(200).json().valueStream().map(e -> e.path("operation").asString()).toList();
        assertThat(operations).contains("push", "create").allMatch(o -> o.equals("push") || o.equals("create"));
    }

    @Test
    void auditLogIsForSystemAdministratorsWithHarborsFiltersAndPaging() {
        for (String u : List.of(admin, stranger)) {
            assertHarborError(http.as(user(u)).get("/api/v2.0/audit-logs"), 403, "FORBIDDEN");
        }
        assertHarborError(http.as(Credentials.NONE).get("/api/v2.0/audit-logs"), 401, "UNAUTHORIZED");

        JsonNode push = only(query("operation=push,resource=~" + project + "/"));
        assertThat(List.copyOf(push.propertyNames())).containsExactly("id", "username", "resource", "resource_type", "operation", "op_time");
        assertThat(push.path("username").asString()).isEqualTo(developer);
        assertThat(push.path("resource").asString()).isEqualTo(project + "/app:1");
        assertThat(push.path("resource_type").asString()).isEqualTo("artifact");
        assertThat(push.path("op_time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        assertThat(only(query("username=" + developer + ",resource_type=artifact")).path("id").asLong()).isEqualTo(push.path("id").asLong());
        assertThat(query("resource=" + project + ",operation=create").json().size()).isEqualTo(1);
        assertThat(query("resource=~" + project + ":,resource_type=member").json().size()).isEqualTo(4);

        OffsetDateTime at = OffsetDateTime.parse(push.path("op_time").asString()).withOffsetSameInstant(ZoneOffset.UTC);
        String around = "[" + HARBOR_TIME.format(at.minusSeconds(1)) + "~" + HARBOR_TIME.format(at.plusSeconds(1)) + "]";
        assertThat(ids(query("op_time=" + around + ",username=" + developer))).contains(push.path("id").asLong());
        String before = "[~" + HARBOR_TIME.format(at.minusDays(1)) + "]";
        assertThat(query("op_time=" + before + ",username=" + developer).json().size()).isZero();

        // Harbor's union list {a b} (what its console sends for the operations ticked) and intersection list (a b)
        String scope = "resource=~" + project + ",";
        List<Long> creates = ids(query(scope + "operation=create"));
        List<Long> pushes = ids(query(scope + "operation=push"));
        assertThat(creates).isNotEmpty();
        assertThat(pushes).isNotEmpty();
        assertThat(ids(query(scope + "operation={create push}"))).containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(creates.stream(), pushes.stream()).toList());
        assertThat(ids(query(scope + "operation=(create push)"))).isEmpty();
        assertThat(ids(query(scope + "operation=(push 'push')"))).isEqualTo(pushes);
        assertThat(ids(query("username={" + developer + " nobody},resource_type={artifact}"))).containsExactly(push.path("id").asLong());

        Response page1 = http.as(ADMIN).get("/api/v2.0/audit-logs?page=1&page_size=2&q=" + RegistryClient.encode("resource=~" + project));
        long total = Long.parseLong(page1.header("X-Total-Count").orElseThrow());
        assertThat(total).isGreaterThan(4);
        assertThat(page1.json().size()).isEqualTo(2);
        assertThat(page1.header("Link").orElseThrow()).contains("page=2").contains("rel=\"next\"");
        List<Long> newestFirst = ids(page1);
        assertThat(newestFirst.get(0)).isGreaterThan(newestFirst.get(1));
        Response oldest = http.as(ADMIN).get("/api/v2.0/audit-logs?sort=op_time&page_size=2&q=" + RegistryClient.encode("resource=~" + project));
        assertThat(ids(oldest).get(0)).isLessThan(ids(oldest).get(1));

        assertHarborError(query("nonsense=1"), 400, "BAD_REQUEST");
        assertHarborError(query("op_time=yesterday"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/audit-logs?sort=username"), 400, "BAD_REQUEST");
        assertHarborError(http.as(ADMIN).get("/api/v2.0/audit-logs?page_size=101"), 400, "BAD_REQUEST");
    }

    private Response query(String q) {
        return http.as(ADMIN).get("/api/v2.0/audit-logs?page_size=100&q=" + RegistryClient.encode(q));
    }

    private static JsonNode only(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().size()).as("%s", response).isEqualTo(1);
        return response.json().get(0);
    }

    private static List<Long> ids(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json().valueStream().map(e -> e.path("id").asLong()).toList();
    }
}
