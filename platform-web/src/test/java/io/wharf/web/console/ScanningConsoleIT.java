package io.wharf.web.console;

import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanning pages without a browser (see {@link ScanningConsoleTest}): administrators add scanners (an
 * adapter that does not answer is refused with the reason, the form kept), test a connection, move
 * the default, disable and delete (the default cannot be deleted while others exist), run and stop
 * scan all, schedule it (a bad cron is refused) and edit the system's CVE allowlist (a repeated id is
 * refused); a project administrator saves the vulnerability settings in one transaction (a bad
 * severity or a repeated CVE id changes nothing), a maintainer reads them, a developer neither; a
 * maintainer scans, stops and rescans from the repository page, sees the severity bar and filters
 * the report, and an index's report lists its images; a developer sees no scan button and is refused
 * the scan; users who are not administrators get the 403 page on the scanners page.
 */
class ScanningConsoleIT extends ScanningConsoleTest {

    private static final String SCANNERS = "/admin/scanners";

    @Test
    void administratorsAddTestMoveDisableAndDeleteScanners() {
        String first = defaultScanner();
        ConsoleBrowser admin = admin();
        String page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("id=\"nav-scanners\"").contains("data-scanner=\"" + first + "\"").contains(">default<");

        String second = "second" + suffix();
        String unreachable = "name=" + second + "&url=" + encode("http://127.0.0.1:1") + "&auth=&credential=&description=";
        HttpResponse<String> refused = admin.postForm(port, SCANNERS, unreachable + "&_csrf=" + csrf(page), SCANNERS);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("class=\"flash alert\"").contains("the scanner adapter failed validation")
            .contains("value=\"" + second + "\"").doesNotContain("data-scanner=\"" + second + "\"");

        String reachable = "name=" + second + "&url=" + encode(ADAPTER.url().toString()) + "&auth=&credential=&description=backup";
        HttpResponse<String> pinged = admin.postForm(port, SCANNERS + "/ping", reachable + "&_csrf=" + csrf(page), SCANNERS);
        assertThat(pinged.body()).contains("The adapter answered: Emulated Trivy 0.1.0").doesNotContain("data-scanner=\"" + second + "\"");
        assertThat(admin.postForm(port, SCANNERS, reachable + "&_csrf=" + csrf(page), SCANNERS).statusCode()).isEqualTo(302);
        page = admin.get(port, SCANNERS).body();
        assertThat(row(page, second)).contains("Emulated Trivy").contains("Wharf tests").contains(">enabled<").doesNotContain(">default<");
        String uuid = uuid(page, second);

        assertThat(admin.postForm(port, SCANNERS + "/" + uuid + "/enabled", "enabled=false&_csrf=" + csrf(page), SCANNERS)
            .statusCode()).isEqualTo(302);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("Scanner " + second + " disabled.");
        assertThat(row(page, second)).contains(">disabled<").contains(">Enable<");
        admin.postForm(port, SCANNERS + "/" + uuid + "/enabled", "enabled=true&_csrf=" + csrf(page), SCANNERS);
        assertThat(admin.get(port, SCANNERS).body()).contains("Scanner " + second + " enabled.");
        admin.postForm(port, SCANNERS + "/" + uuid + "/default", "_csrf=" + csrf(page), SCANNERS);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("Scanner " + second + " is now the default.");
        assertThat(row(page, second)).contains(">default<").contains(">enabled<");

        // the default cannot go while another scanner exists: the service's reason on the confirmation page
        String confirm = SCANNERS + "/" + uuid + "/delete";
        String question = admin.get(port, confirm).body();
        assertThat(question).contains("Delete scanner " + second).contains("It is the default");
        assertThat(admin.postForm(port, confirm, "_csrf=" + csrf(question), confirm).headers().firstValue("Location"))
            .hasValueSatisfying(l -> assertThat(l).endsWith(confirm));
        assertThat(admin.get(port, confirm).body()).contains("class=\"flash alert\"")
            .contains("is the default; make another scanner the default before deleting it");

        admin.postForm(port, SCANNERS + "/" + uuid(page, first) + "/default", "_csrf=" + csrf(page), SCANNERS);
        assertThat(admin.get(port, SCANNERS).body()).contains("Scanner " + first + " is now the default.");
        assertThat(admin.postForm(port, confirm, "_csrf=" + csrf(question), confirm).statusCode()).isEqualTo(302);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("Scanner " + second + " deleted.").doesNotContain("data-scanner=\"" + second + "\"");
        assertThat(row(page, first)).contains(">default<");
    }

    @Test
    void administratorsRunStopAndScheduleScanAllAndEditTheSystemAllowlist() {
        defaultScanner();
        String project = "all" + suffix();
        RegistryClient api = RegistryClient.forPort(port).asAdmin();
        api.createProject(project, false);
        api.push(project + "/app", "1", TestImage.simple(project));
        ConsoleBrowser admin = admin();
        String page = admin.get(port, SCANNERS).body();

        HttpResponse<String> badCron = admin.postForm(port, SCANNERS + "/scan-all/schedule",
            "type=Custom&cron=" + encode("every night") + "&_csrf=" + csrf(page), SCANNERS);
        assertThat(badCron.statusCode()).isEqualTo(302);
        assertThat(admin.get(port, SCANNERS).body()).contains("class=\"flash alert\"").contains("cron every night: it needs six fields");
        admin.postForm(port, SCANNERS + "/scan-all/schedule", "type=Custom&cron=" + encode("0 0 2 * * *") + "&_csrf=" + csrf(page),
            SCANNERS);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("Scan all is scheduled: Custom (0 0 2 * * *).").contains("<option value=\"Custom\" selected=\"selected\">")
            .contains("value=\"0 0 2 * * *\"").contains("id=\"schedule-next\"");

        assertThat(admin.postForm(port, SCANNERS + "/scan-all", "_csrf=" + csrf(page), SCANNERS).statusCode()).isEqualTo(302);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("Scan all started").contains("id=\"metrics-total\"").contains("data-status=\"Pending\"")
            .contains("id=\"scan-all-stop\"");
        assertThat(text(page, "metrics-state")).isEqualTo("running");
        assertThat(Integer.parseInt(text(page, "metrics-total"))).isPositive();
        admin.postForm(port, SCANNERS + "/scan-all/stop", "_csrf=" + csrf(page), SCANNERS);
        page = admin.get(port, SCANNERS).body();
        assertThat(text(page, "metrics-state")).isEqualTo("finished");
        assertThat(text(page, "metrics-completed")).isEqualTo(text(page, "metrics-total"));
        assertThat(page).contains("Stopped " + text(page, "metrics-total")).doesNotContain("id=\"scan-all-stop\"");
        admin.postForm(port, SCANNERS + "/scan-all/schedule", "type=None&cron=&_csrf=" + csrf(page), SCANNERS);
        assertThat(admin.get(port, SCANNERS).body()).contains("Scan all is not scheduled.").doesNotContain("id=\"schedule-next\"");

        HttpResponse<String> repeated = admin.postForm(port, SCANNERS + "/allowlist",
            "cve_ids=" + encode("CVE-2024-0001\nCVE-2024-0001") + "&expires=&_csrf=" + csrf(page), SCANNERS);
        assertThat(repeated.statusCode()).isEqualTo(302);
        assertThat(admin.get(port, SCANNERS).body()).contains("duplicate cve_id: CVE-2024-0001");
        admin.postForm(port, SCANNERS + "/allowlist", "cve_ids=CVE-2024-0001&expires=31.12.2030&_csrf=" + csrf(page), SCANNERS);
        assertThat(admin.get(port, SCANNERS).body()).contains("The expiry must be a date such as 2030-12-31");
        admin.postForm(port, SCANNERS + "/allowlist", "cve_ids=" + encode("CVE-2024-0001, CVE-2024-0002") + "&expires=2030-12-31&_csrf="
            + csrf(page), SCANNERS);
        page = admin.get(port, SCANNERS).body();
        assertThat(page).contains("The system").contains("CVE allowlist holds 2 ids.")
            .contains(">CVE-2024-0001\nCVE-2024-0002</textarea>").contains("value=\"2030-12-31\"");
        JsonNode system = RegistryClient.forPort(port).asAdmin().get("/api/v2.0/system/CVEAllowlist").json();
        assertThat(system.path("expires_at").asLong()).isEqualTo(java.time.LocalDate.of(2031, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC)
            .toEpochSecond());
    }

    @Test
    void projectAdministratorsSaveTheVulnerabilitySettingsInOneGo() {
        String project = "vul" + suffix();
        RegistryClient api = RegistryClient.forPort(port).asAdmin();
        api.createProject(project, false);
        String owner = member(project, TestAccounts.ROLE_PROJECT_ADMIN);
        ConsoleBrowser browser = login(owner);
        String path = "/projects/" + project;
        String page = browser.get(port, path).body();
        assertThat(page).contains("id=\"vulnerability-form\"").contains("id=\"allowlist-system\" checked=\"checked\"");

        HttpResponse<String> badSeverity = browser.postForm(port, path + "/vulnerability",
            "auto_scan=true&severity=bogus&allowlist=system&cve_ids=&expires=&_csrf=" + csrf(page), path);
        assertThat(badSeverity.statusCode()).isEqualTo(302);
        page = browser.get(port, path).body();
        assertThat(page).contains("class=\"flash alert\"").contains("invalid severity: bogus");
        assertThat(page).doesNotContain("id=\"auto-scan\" checked");

        String settings = "auto_scan=true&prevent_vul=true&severity=high&allowlist=project&expires=2031-06-30&cve_ids=";
        browser.postForm(port, path + "/vulnerability", settings + encode("CVE-2024-0001\nCVE-2024-0001") + "&_csrf=" + csrf(page), path);
        page = browser.get(port, path).body();
        assertThat(page).contains("duplicate cve_id: CVE-2024-0001");
        assertThat(page).as("nothing of the refused form was saved").doesNotContain("id=\"auto-scan\" checked")
            .contains("id=\"allowlist-system\" checked=\"checked\"");

        assertThat(browser.postForm(port, path + "/vulnerability", settings + encode("CVE-2024-0001,CVE-2024-0003") + "&_csrf="
            + csrf(page), path).statusCode()).isEqualTo(302);
        page = browser.get(port, path).body();
        assertThat(page).contains("Vulnerability settings of " + project + " saved.")
            .contains("id=\"auto-scan\" checked=\"checked\"").contains("id=\"prevent-vul\" checked=\"checked\"")
            .contains("<option value=\"high\" selected=\"selected\">High</option>")
            .contains("id=\"allowlist-project\" checked=\"checked\"").contains(">CVE-2024-0001\nCVE-2024-0003</textarea>")
            .contains("value=\"2031-06-30\"");
        JsonNode saved = api.get("/api/v2.0/projects/" + project).json();
        assertThat(saved.path("metadata").path("auto_scan").asString()).isEqualTo("true");
        assertThat(saved.path("metadata").path("severity").asString()).isEqualTo("high");
        assertThat(saved.path("metadata").path("reuse_sys_cve_allowlist").asString()).isEqualTo("false");
        assertThat(saved.path("cve_allowlist").path("items")).hasSize(2);

        ConsoleBrowser maintainer = login(member(project, TestAccounts.ROLE_MAINTAINER));
        String readOnly = maintainer.get(port, path).body();
        assertThat(readOnly).contains("id=\"vulnerability-facts\"").doesNotContain("id=\"vulnerability-form\"");
        assertThat(text(readOnly, "fact-prevent-vul")).isEqualTo("High or worse");
        ConsoleBrowser developer = login(member(project, TestAccounts.ROLE_DEVELOPER));
        String hidden = developer.get(port, path).body();
        assertThat(hidden).doesNotContain("id=\"vulnerability\"");
        HttpResponse<String> denied = developer.postForm(port, path + "/vulnerability",
            "auto_scan=false&severity=low&allowlist=system&_csrf=" + csrf(hidden));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("Not allowed");
    }

    @Test
    void maintainersScanFromTheRepositoryPageAndFilterTheReport() {
        defaultScanner();
        String project = "scan" + suffix();
        RegistryClient api = RegistryClient.forPort(port).asAdmin();
        api.createProject(project, false);
        String repository = project + "/web";
        String digest = api.push(repository, "1.0", TestImage.simple(project));
        ConsoleBrowser maintainer = login(member(project, TestAccounts.ROLE_MAINTAINER));
        String repoPath = "/projects/" + project + "/repositories/web";
        String artifact = repoPath + "/-/artifacts/" + digest;

        String page = maintainer.get(port, repoPath).body();
        assertThat(page).contains("Not scanned").contains("class=\"small scan-button\"");
        assertThat(maintainer.postForm(port, artifact + "/scan", "_csrf=" + csrf(page)).statusCode()).isEqualTo(302);
        page = maintainer.get(port, repoPath).body();
        assertThat(page).contains("Scan of " + digest + " queued.").contains(">Pending<").contains("stop-button")
            .doesNotContain("class=\"small scan-button\"");
        maintainer.postForm(port, artifact + "/scan/stop", "_csrf=" + csrf(page));
        page = maintainer.get(port, repoPath).body();
        assertThat(page).contains("Scan of " + digest + " stopped.").contains(">Stopped<").contains("class=\"small scan-button\"");

        maintainer.postForm(port, artifact + "/scan", "_csrf=" + csrf(page));
        scanToEnd();
        page = maintainer.get(port, repoPath).body();
        assertThat(page).contains(">Success<").contains("class=\"severity-bar\"")
            .contains("aria-label=\"2 vulnerabilities: 1 High, 1 Low\"").contains("data-severity=\"High\"")
            .contains("data-severity=\"Low\"").contains(">1 High<").contains(">1 Low<").contains("1 of 2 fixable")
            .contains("href=\"" + artifact + "/vulnerabilities\"");

        String report = maintainer.get(port, artifact + "/vulnerabilities").body();
        assertThat(text(report, "report-count")).isEqualTo("Showing 2 of 2 vulnerabilities.");
        assertThat(report).contains("data-vulnerability=\"CVE-2024-0001\"").contains("data-vulnerability=\"CVE-2024-0002\"")
            .contains("href=\"https://avd.example.test/CVE-2024-0001\"").contains("3.0.2").contains("no fix")
            .contains("Scanned by Emulated Trivy 0.1.0.");
        String high = maintainer.get(port, artifact + "/vulnerabilities?severity=High").body();
        assertThat(text(high, "report-count")).isEqualTo("Showing 1 of 2 vulnerabilities.");
        assertThat(high).contains("data-vulnerability=\"CVE-2024-0001\"").doesNotContain("data-vulnerability=\"CVE-2024-0002\"")
            .contains("<option value=\"High\" selected=\"selected\">High or worse</option>");
        String zlib = maintainer.get(port, artifact + "/vulnerabilities?severity=Low&package=ZLI").body();
        assertThat(zlib).contains("data-vulnerability=\"CVE-2024-0002\"").doesNotContain("data-vulnerability=\"CVE-2024-0001\"");
        String bogus = maintainer.get(port, artifact + "/vulnerabilities?severity=Bogus").body();
        assertThat(bogus).contains("class=\"flash alert\"").contains("There is no severity Bogus to filter by");
        assertThat(text(bogus, "report-count")).isEqualTo("Showing 2 of 2 vulnerabilities.");

        // an index: scanned as its images, summarised on the repository page, its report lists them
        TestImage amd = TestImage.random(TestImage.Format.OCI, new TestImage.Platform("linux", "amd64", null), 21, 100);
        TestImage arm = TestImage.random(TestImage.Format.OCI, new TestImage.Platform("linux", "arm64", "v8"), 22, 100);
        String amdDigest = api.push(project + "/multi", "amd64", amd);
        String armDigest = api.push(project + "/multi", "arm64", arm);
        Map<TestImage.Platform, TestImage> images = new LinkedHashMap<>();
        images.put(new TestImage.Platform("linux", "amd64", null), amd);
        images.put(new TestImage.Platform("linux", "arm64", "v8"), arm);
        TestImage.Blob index = TestImage.index(TestImage.Format.OCI, images);
        String indexDigest = api.pushManifest(project + "/multi", "2.0", index.mediaType(), index.content());
        String multi = "/projects/" + project + "/repositories/multi";
        page = maintainer.get(port, multi).body();
        maintainer.postForm(port, multi + "/-/artifacts/" + indexDigest + "/scan", "_csrf=" + csrf(page));
        scanToEnd();
        page = maintainer.get(port, multi).body();
        assertThat(page).contains("aria-label=\"4 vulnerabilities: 2 High, 2 Low\"");
        String indexReport = maintainer.get(port, multi + "/-/artifacts/" + indexDigest + "/vulnerabilities").body();
        assertThat(indexReport).contains("id=\"children\"").contains(">linux/amd64<").contains(">linux/arm64/v8<")
            .contains("href=\"" + multi + "/-/artifacts/" + amdDigest + "/vulnerabilities\"")
            .contains("href=\"" + multi + "/-/artifacts/" + armDigest + "/vulnerabilities\"").doesNotContain("id=\"findings\"");

        // developers read, but neither see the buttons nor may scan
        ConsoleBrowser developer = login(member(project, TestAccounts.ROLE_DEVELOPER));
        String seen = developer.get(port, repoPath).body();
        assertThat(seen).contains("class=\"severity-bar\"").doesNotContain("scan-button").doesNotContain("stop-button");
        HttpResponse<String> refused = developer.postForm(port, artifact + "/scan", "_csrf=" + csrf(seen));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Not allowed").doesNotContain("Exception");
        HttpResponse<String> scanners = developer.get(port, SCANNERS);
        assertThat(scanners.statusCode()).isEqualTo(403);
        assertThat(scanners.body()).contains("Not allowed");
        assertThat(seen).doesNotContain("id=\"nav-scanners\"");
    }

    /** The name of the default scanner, the emulator, registered through the API on first use. */
    private synchronized String defaultScanner() {
        RegistryClient api = RegistryClient.forPort(port).asAdmin();
        for (JsonNode registration : api.get("/api/v2.0/scanners").json()) {
            if (registration.path("is_default").asBoolean()) {
                return registration.path("name").asString();
            }
        }
        String name = "emulator" + suffix();
        Response created = api.post("/api/v2.0/scanners", Map.of("name", name, "url", ADAPTER.url().toString(), "auth", ""));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return name;
    }

    private ConsoleBrowser admin() {
        return login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
    }

    private ConsoleBrowser login(String user) {
        return login(user, TestAccounts.USER_PASSWORD);
    }

    private ConsoleBrowser login(String user, String password) {
        ConsoleBrowser browser = new ConsoleBrowser();
        assertThat(browser.login(port, user, password).headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        return browser;
    }

    /** A new user, a member of {@code project} with {@code roleId}. */
    private String member(String project, int roleId) {
        String name = "user" + suffix();
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        admin.createUser(name, TestAccounts.USER_PASSWORD);
        admin.addMember(project, name, roleId);
        return name;
    }

    /** The table row of scanner {@code name}. */
    private static String row(String html, String name) {
        int start = html.indexOf("data-scanner=\"" + name + "\"");
        assertThat(start).as("a row of %s", name).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    /** The uuid of scanner {@code name}, from its delete link. */
    private static String uuid(String html, String name) {
        Matcher m = Pattern.compile("/admin/scanners/([0-9a-f-]{36})/delete").matcher(row(html, name));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The text of the element with id {@code id}, which holds no markup. */
    private static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as("an element %s", id).isTrue();
        return m.group(1).strip();
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
