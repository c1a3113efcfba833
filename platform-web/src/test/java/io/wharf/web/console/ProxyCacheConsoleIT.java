package io.wharf.web.console;

import io.wharf.replication.proxy.ProxyStatistics;
import io.wharf.testkit.ConsoleBrowser;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proxy-cache projects in the console, without a browser (issue #9): the projects list says which
 * projects are proxy caches; a proxy-cache project's page shows its upstream, cache size, hit rate
 * and request counts after real pulls through it; the new-project form offers system administrators
 * the registry endpoints as upstreams, and nobody else, whom the server refuses such a project too.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProxyCacheConsoleIT {

    static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());

    @LocalServerPort
    int port;

    @Autowired
    ProxyStatistics statistics;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "proxy-console");
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
    }

    @AfterAll
    static void stopHub() {
        HUB.close();
    }

    @Test
    void showsTheTypeOfEachProjectAndTheUpstreamAndStatisticsOfAProxyCache() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 650, 900, 1300);
        HUB.push("library/cached" + suffix, "1", image);
        RegistryClient admin = RegistryClient.forPort(port).asAdmin();
        Response registry = admin.post("/api/v2.0/registries", Map.of("name", "up" + suffix, "type", "docker-hub",
            "url", HUB.registryUrl().toString(), "insecure", false));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        String proxy = "cache" + suffix;
        assertThat(admin.post("/api/v2.0/projects", Map.of("project_name", proxy, "metadata", Map.of("public", "true"),
            "registry_id", RegistryClient.idFromLocation(registry))).status()).isEqualTo(201);
        String plain = "plain" + suffix;
        admin.createProject(plain, false);

        // one cold pull, then the blobs again from the cache
        RegistryClient anonymous = RegistryClient.forPort(port).anonymous().withTokenFlow();
        String repo = proxy + "/cached" + suffix;
        assertThat(anonymous.getManifest(repo, "1", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        for (int pass = 0; pass < 2; pass++) {
            for (byte[] blob : image.blobs()) {
                assertThat(anonymous.getBlob(repo, TestImage.Blob.of(blob).digest()).status()).isEqualTo(200);
            }
        }
        statistics.flush();

        ConsoleBrowser browser = new ConsoleBrowser();
        browser.login(port, TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        String page = browser.get(port, "/projects/" + proxy).body();
        assertThat(page).contains("id=\"proxy-cache\"");
        int blobs = image.blobs().size();
        assertThat(value(page, "proxy-hits")).isEqualTo(String.valueOf(blobs));
        assertThat(value(page, "proxy-misses")).isEqualTo(String.valueOf(1 + blobs));
        assertThat(value(page, "proxy-stale")).isEqualTo("0");
        assertThat(value(page, "proxy-coalesced")).isEqualTo("0");
        assertThat(value(page, "proxy-cache-size")).isEqualTo(Sizes.human(image.storedSize()));
        assertThat(value(page, "proxy-fetched")).isEqualTo(Sizes.human(image.storedSize()));
        assertThat(value(page, "proxy-hit-rate")).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f %%",
            100.0 * blobs / (1 + 2 * blobs)));
        assertThat(page).contains("up" + suffix).contains(HUB.registryUrl().toString()).contains("id=\"pull-command\"")
            .doesNotContain("id=\"push-command\"");
        assertThat(browser.get(port, "/projects/" + plain).body()).doesNotContain("id=\"proxy-cache\"").contains("id=\"push-command\"");

        String list = browser.get(port, "/projects?q=" + suffix).body();
        assertThat(row(list, proxy)).contains("Proxy cache");
        assertThat(row(list, plain)).contains(">Project<").doesNotContain("Proxy cache");
        assertThat(list).contains("id=\"project-upstream\"").contains("Proxy cache of up" + suffix);

        // a user who is not a system administrator is offered no upstream, and refused one
        String user = "user" + suffix;
        admin.createUser(user, TestAccounts.USER_PASSWORD);
        ConsoleBrowser userBrowser = new ConsoleBrowser();
        userBrowser.login(port, user, TestAccounts.USER_PASSWORD);
        String form = userBrowser.get(port, "/projects").body();
        assertThat(form).contains("id=\"create-project\"").doesNotContain("id=\"project-upstream\"");
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> refused = userBrowser.postForm(port, "/projects", "name=sneaky" + suffix + "&registryId="
            + RegistryClient.idFromLocation(registry) + "&_csrf=" + java.net.URLEncoder.encode(csrf.group(1), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v2.0/projects/sneaky" + suffix).status()).isEqualTo(404);
    }

    /** The text of the element with id {@code id} in {@code html}. */
    private static String value(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as("#%s in %s", id, html).isTrue();
        return m.group(1).strip();
    }

    /** The table row of {@code project} in the projects list. */
    private static String row(String html, String project) {
        Matcher m = Pattern.compile("<tr>\\s*<td><a href=\"/projects/" + project + "\">.*?</tr>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("the row of %s in %s", project, html).isTrue();
        return m.group();
    }
}
