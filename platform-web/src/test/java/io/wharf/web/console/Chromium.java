package io.wharf.web.console;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;


/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through
 * Selenium, with a fresh profile, for the console's browser tests. Waits are explicit, on page
 * conditions; {@link #close()} quits the browser and its driver and removes the profile.
 * Without the packages the tests are skipped, except under {@code CI=true}, where they fail.
 */
final class Chromium implements AutoCloseable {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path profile;
    private final String base;

    private Chromium(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Starts the browser for the Wharf at {@code port}; skips the test when Chromium is not installed (fails on CI). */
    static Chromium start(int port) throws IOException {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        io.wharf.web.clients.Cli.require(installed, "chromium and chromium-driver are not installed (see .ci/run)");
        Path profile = Files.createTempDirectory("wharf-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options), profile, "http://127.0.0.1:" + port);
    }

    /** The driver, for what the helpers here do not cover. */
    WebDriver driver() {
        return driver;
    }

    /** Opens {@code path} of the Wharf under test and waits for the page. */
    void open(String path) {
        driver.get(base + path);
        wait.until(d -> "complete".equals(driver.executeScript("return document.readyState")));
    }

    /** The path and query of the page shown. */
    String path() {
        String url = driver.getCurrentUrl();
        return url == null ? "" : url.substring(base.length());
    }

    /** The first element {@code selector} finds, waiting for it to appear. */
    WebElement find(By selector) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(selector));
    }

    /** Whether the page shows an element {@code selector} finds, now. */
    boolean has(By selector) {
        return !driver.findElements(selector).isEmpty();
    }

    /** Clicks {@code element} (a submit button or a link) and waits until the next page replaced this one. */
    void clickAndWait(WebElement element) {
        WebElement page = driver.findElement(By.tagName("html"));
        element.click();
        wait.until(ExpectedConditions.stalenessOf(page));
        wait.until(d -> "complete".equals(driver.executeScript("return document.readyState")));
    }

    /** Types {@code text} into the field {@code selector} finds, replacing what it held. */
    void type(By selector, String text) {
        WebElement field = find(selector);
        field.clear();
        field.sendKeys(text);
    }

    /** Logs in through the login page and waits for the next page. */
    void login(String username, String password) {
        open("/login");
        type(By.id("username"), username);
        type(By.id("password"), password);
        clickAndWait(find(By.id("login")));
    }

    /** Logs out with the header's button (a POST with the CSRF token) and waits for the login page. */
    void logout() {
        clickAndWait(find(By.id("logout")));
    }

    /** The visible text of the page's main content. */
    String text() {
        return find(By.tagName("body")).getText();
    }

    /** Saves a screenshot of the page as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the pages read and write the clipboard (Chromium's permissions, granted through the DevTools protocol). */
    void grantClipboard() {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base,
            "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    /** The clipboard's text as the page reads it; empty when the page may not read it. */
    Optional<String> clipboard() {
        Object text = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
            + "navigator.clipboard.readText().then(done, () => done(null));");
        return text instanceof String value ? Optional.of(value) : Optional.empty();
    }

    /** From now on until the next page, collects the page's script errors for {@link #scriptErrors()}. */
    void watchScriptErrors() {
        driver.executeScript("window.wharfErrors = [];"
            + "window.addEventListener('error', e => window.wharfErrors.push(String(e.message)));"
            + "window.addEventListener('unhandledrejection', e => window.wharfErrors.push(String(e.reason)));");
    }

    /** The script errors of this page since {@link #watchScriptErrors()}. */
    List<?> scriptErrors() {
        return (List<?>) driver.executeScript("return window.wharfErrors;");
    }

    /** Forgets the session: the next page is opened as an anonymous visitor. */
    void clearCookies() {
        driver.manage().deleteAllCookies();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
