package io.wharf.web.console;

import io.wharf.replication.execution.ReplicationFinished;
import io.wharf.replication.proxy.ProxyStatistics;
import io.wharf.testkit.Credentials;
import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.Response;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import io.wharf.testkit.hub.DockerHubEmulator;
import io.wharf.web.PlatformApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replication pages in a real headless Chromium: an administrator adds a Docker Hub endpoint
 * (the emulator) and tests its connection, creates a policy with filters in the form, runs it, reads
 * the execution's progress, tasks and a task's log, disables the policy and deletes it after its
 * confirmation; a refused form keeps what was typed; a user without administration gets the 403 page.
 * An administrator creates a proxy-cache project of an endpoint in the new-project form and reads its
 * upstream, cache size and hit rate on its page.
 * Screenshots land in {@code target/screenshots}.
 */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReplicationConsoleChromiumIT {

    static final DockerHubEmulator HUB = new DockerHubEmulator(Clock.systemUTC());
    private static Chromium browser;

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    ProxyStatistics statistics;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConsoleTestContext.register(registry, "replication-chromium");
        registry.add("wharf.replication.docker-hub-api-url", () -> HUB.hubApiUrl().toString());
    }

    @BeforeEach
    void freshSession() throws IOException {
        if (browser == null) {
            browser = Chromium.start(port);
        }
        browser.open("/login");
        browser.clearCookies();
    }

    @AfterAll
    static void quit() throws IOException {
        HUB.close();
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void anAdministratorMirrorsDockerHubFromTheConsole() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String digest = HUB.push("acme" + suffix + "/web", "1.0", TestImage.random(TestImage.Format.OCI,
            TestImage.Platform.of("linux", "amd64"), 5, 700));
        String project = "hub" + suffix;
        assertThat(RegistryClient.forPort(port).asAdmin().post("/api/v2.0/projects",
            Map.of("project_name", project, "metadata", Map.of("public", "false"))).status()).isEqualTo(201);
        CountDownLatch finished = new CountDownLatch(1);
        context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) event -> {
            if (event.getPayload() instanceof ReplicationFinished) {
                // published inside the transaction that ends the execution: count once it has committed
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        finished.countDown();
                    }
                });
            }
        });

        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        browser.clickAndWait(browser.find(By.id("nav-replication")));
        browser.clickAndWait(browser.find(By.id("registries-link")));
        if (!browser.find(By.id("registry-name")).isDisplayed()) { // open only while there is no endpoint yet
            browser.find(By.cssSelector("#new-registry > summary")).click();
        }
        browser.type(By.id("registry-name"), "hub" + suffix);
        new Select(browser.find(By.id("registry-type"))).selectByValue("docker-hub");
        browser.type(By.id("registry-url"), HUB.registryUrl().toString());
        browser.clickAndWait(browser.find(By.cssSelector("#create-registry button[type=submit]")));
        assertThat(browser.text()).contains("Registry hub" + suffix + " added.");
        browser.screenshot("replication-registries");
        browser.clickAndWait(browser.find(By.cssSelector("tr[data-registry='hub" + suffix + "'] form button")));
        assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("hub" + suffix);

        // a refused form comes back as it was typed, with the reason
        browser.clickAndWait(browser.find(By.id("nav-replication")));
        browser.clickAndWait(browser.find(By.id("new-policy")));
        browser.type(By.id("policy-name"), "mirror" + suffix);
        browser.type(By.id("policy-names"), "**");
        browser.type(By.id("policy-dest-namespace"), project);
        browser.clickAndWait(browser.find(By.id("save-policy")));
        assertThat(browser.find(By.cssSelector(".flash.alert")).getText()).contains("Docker Hub");
        assertThat(browser.find(By.id("policy-name")).getAttribute("value")).isEqualTo("mirror" + suffix);

        browser.type(By.id("policy-names"), "acme" + suffix + "/**");
        browser.type(By.id("policy-tags"), "1.*");
        browser.screenshot("replication-policy-form");
        browser.clickAndWait(browser.find(By.id("save-policy")));
        assertThat(browser.text()).contains("Policy mirror" + suffix + " created.");
        browser.clickAndWait(browser.find(By.cssSelector("tr[data-policy='mirror" + suffix + "'] button.primary")));
        assertThat(browser.path()).startsWith("/admin/replication/executions/");

        assertThat(finished.await(60, TimeUnit.SECONDS)).as("the execution finished").isTrue();
        browser.open(browser.path());
        assertThat(browser.find(By.id("execution-status")).getText()).isEqualTo("Succeed");
        assertThat(browser.find(By.cssSelector("tr[data-task='acme" + suffix + "/web:1.0']")).getText())
            .contains(project + "/web:1.0").contains("Succeed");
        browser.screenshot("replication-execution");
        browser.clickAndWait(browser.find(By.linkText("Log")));
        assertThat(browser.find(By.id("task-log")).getText()).contains("copied " + project + "/web:1.0");
        assertThat(RegistryClient.forPort(port).asAdmin().headManifest(project + "/web", "1.0").header("Docker-Content-Digest"))
            .contains(digest);

        // disable, then delete through the confirmation page
        browser.open("/admin/replication");
        browser.clickAndWait(browser.find(By.xpath("//tr[@data-policy='mirror" + suffix + "']//button[text()='Disable']")));
        assertThat(browser.find(By.cssSelector("tr[data-policy='mirror" + suffix + "']")).getText()).contains("disabled");
        browser.clickAndWait(browser.find(By.xpath("//tr[@data-policy='mirror" + suffix + "']//a[text()='Delete']")));
        browser.clickAndWait(browser.find(By.cssSelector("main form button[type=submit]")));
        assertThat(browser.text()).contains("Policy mirror" + suffix + " deleted.");
        assertThat(browser.has(By.cssSelector("tr[data-policy='mirror" + suffix + "']"))).isFalse();
    }

    @Test
    void anAdministratorCreatesAProxyCacheProjectInTheFormAndReadsItsPanel() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        TestImage image = TestImage.random(TestImage.Format.OCI, TestImage.Platform.of("linux", "amd64"), 8, 600);
        HUB.push("library/app" + suffix, "1.0", image);
        Response registry = RegistryClient.forPort(port).asAdmin().post("/api/v2.0/registries", Map.of("name", "cachehub" + suffix,
            "type", "docker-hub", "url", HUB.registryUrl().toString(), "insecure", false));
        assertThat(registry.status()).as("%s", registry).isEqualTo(201);
        String project = "dockerhub" + suffix;

        browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
        browser.open("/projects");
        if (!browser.find(By.id("project-name")).isDisplayed()) {
            browser.find(By.cssSelector("#create-project")).findElement(By.xpath("ancestor::details/summary")).click();
        }
        browser.type(By.id("project-name"), project);
        browser.find(By.id("project-public")).click();
        new Select(browser.find(By.id("project-upstream"))).selectByVisibleText("Proxy cache of cachehub" + suffix);
        browser.clickAndWait(browser.find(By.cssSelector("#create-project button[type=submit]")));
        assertThat(browser.path()).isEqualTo("/projects/" + project);
        assertThat(browser.text()).contains("Proxy-cache project " + project + " created.");
        assertThat(browser.find(By.id("proxy-upstream")).getText()).contains("cachehub" + suffix).contains("docker-hub");
        assertThat(browser.find(By.id("proxy-hit-rate")).getText()).isEqualTo("–");
        assertThat(browser.find(By.id("proxy-cache-size")).getText()).isEqualTo("0 B");

        // a cold pull of the tag, then a warm one
        RegistryClient anonymous = RegistryClient.forPort(port).anonymous().withTokenFlow();
        assertThat(anonymous.getManifest(project + "/app" + suffix, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        assertThat(anonymous.getManifest(project + "/app" + suffix, "1.0", TestImage.OCI_MANIFEST).status()).isEqualTo(200);
        statistics.flush();
        browser.open("/projects/" + project);
        assertThat(browser.find(By.id("proxy-misses")).getText()).isEqualTo("1");
        assertThat(browser.find(By.id("proxy-hits")).getText()).isEqualTo("1");
        assertThat(browser.find(By.id("proxy-hit-rate")).getText()).isEqualTo("50.0 %");
        assertThat(browser.find(By.id("proxy-cache-size")).getText()).isEqualTo(Sizes.human(image.manifest().length));
        browser.screenshot("proxy-cache-project");

        browser.open("/projects?q=" + suffix);
        assertThat(browser.find(By.xpath("//table[@id='projects']//tr[td/a[text()='" + project + "']]/td[@class='project-type']"))
            .getText()).isEqualTo("Proxy cache");
    }

    @Test
    void usersWithoutAdministrationSeeNoReplication() {
        String user = "bob" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(RegistryClient.forPort(port).asAdmin().post("/api/v2.0/users", Map.of("username", user,
            "password", TestAccounts.USER_PASSWORD, "email", user + "@example.com", "realname", user)).status()).isEqualTo(201);
        browser.login(user, TestAccounts.USER_PASSWORD);
        assertThat(browser.has(By.id("nav-replication"))).isFalse();
        browser.open("/admin/replication");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.open("/admin/registries");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(RegistryClient.forPort(port).as(Credentials.basic(user, TestAccounts.USER_PASSWORD))
            .get("/api/v2.0/registries").status()).isEqualTo(403);
    }
}
