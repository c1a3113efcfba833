package io.wharf.web.console;

import io.wharf.testkit.RegistryClient;
import io.wharf.testkit.TestAccounts;
import io.wharf.testkit.TestImage;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scanning in a real headless Chromium (see {@link ScanningConsoleTest}): an administrator registers
 * the adapter emulator on the Scanners page (and makes it the default), turns on scan on push and the
 * pull policy on a project's page, an image is pushed and scanned, the repository page shows its
 * severity bar, and the report is filtered by severity in the browser.
 * Screenshots land in {@code target/screenshots}.
 */
class ScanningConsoleChromiumIT extends ScanningConsoleTest {

    @Test
    void anAdministratorScansOnPushAndFiltersTheReport() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String project = "scan" + suffix;
        RegistryClient api = RegistryClient.forPort(port).asAdmin();
        api.createProject(project, false);
        try (Chromium browser = Chromium.start(port)) {
            browser.login(TestAccounts.ADMIN_USERNAME, TestAccounts.ADMIN_PASSWORD);
            browser.clickAndWait(browser.find(By.id("nav-scanners")));
            if (!browser.find(By.id("scanner-name")).isDisplayed()) { // open only while there is no scanner yet
                browser.find(By.cssSelector("#new-scanner > summary")).click();
            }
            browser.type(By.id("scanner-name"), "trivy" + suffix);
            browser.type(By.id("scanner-url"), ADAPTER.url().toString());
            browser.clickAndWait(browser.find(By.id("add-scanner")));
            assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).startsWith("Scanner trivy" + suffix + " added");
            By row = By.cssSelector("tr[data-scanner='trivy" + suffix + "']");
            if (browser.has(By.cssSelector("tr[data-scanner='trivy" + suffix + "'] .set-default"))) { // another test's scanner came first
                browser.clickAndWait(browser.find(row).findElement(By.cssSelector(".set-default")));
            }
            assertThat(browser.find(row).getText()).contains("Emulated Trivy").contains("enabled");
            assertThat(browser.find(row).findElement(By.cssSelector(".badge.admin")).getText()).isEqualTo("default");

            browser.open("/projects/" + project);
            browser.find(By.id("auto-scan")).click();
            browser.find(By.id("prevent-vul")).click();
            new Select(browser.find(By.id("severity"))).selectByValue("high");
            browser.find(By.id("allowlist-project")).click(); // its own, empty: what the system's list allows counts here
            browser.clickAndWait(browser.find(By.id("save-vulnerability")));
            assertThat(browser.find(By.cssSelector(".flash.notice")).getText()).contains("Vulnerability settings of " + project + " saved.");
            assertThat(browser.find(By.id("auto-scan")).isSelected()).isTrue();
            assertThat(browser.find(By.id("allowlist-project")).isSelected()).isTrue();

            String digest = api.push(project + "/web", "1.0", TestImage.simple(project));
            scanToEnd();
            assertThat(api.getManifest(project + "/web", "1.0", TestImage.OCI_MANIFEST).status())
                .as("the saved policy blocks the High finding").isEqualTo(412);

            browser.open("/projects/" + project + "/repositories/web");
            WebElement artifact = browser.find(By.cssSelector("tr[data-artifact='" + digest + "']"));
            assertThat(artifact.findElement(By.cssSelector(".scan-status")).getText()).isEqualTo("Success");
            List<WebElement> segments = artifact.findElements(By.cssSelector(".severity-bar .segment"));
            assertThat(segments).extracting(s -> s.getAttribute("data-severity")).containsExactly("High", "Low");
            assertThat(segments).extracting(WebElement::getText).containsExactly("1", "1");
            assertThat(segments.get(0).getSize().getWidth()).as("each segment is drawn").isPositive();
            assertThat(artifact.findElement(By.cssSelector(".worst")).getText()).isEqualTo("High");
            browser.screenshot("scan-repository");

            browser.clickAndWait(artifact.findElement(By.cssSelector("a.report-link")));
            assertThat(browser.find(By.id("report-count")).getText()).isEqualTo("Showing 2 of 2 vulnerabilities.");
            new Select(browser.find(By.id("filter-severity"))).selectByValue("High");
            browser.clickAndWait(browser.find(By.id("apply-filter")));
            assertThat(browser.path()).contains("severity=High");
            assertThat(browser.find(By.id("report-count")).getText()).isEqualTo("Showing 1 of 2 vulnerabilities.");
            assertThat(browser.driver().findElements(By.cssSelector("#findings tbody tr")))
                .extracting(r -> r.getAttribute("data-vulnerability")).containsExactly("CVE-2024-0001");
            assertThat(browser.find(By.linkText("CVE-2024-0001")).getAttribute("href")).isEqualTo("https://avd.example.test/CVE-2024-0001");
            browser.screenshot("scan-report");
        }
    }
}
