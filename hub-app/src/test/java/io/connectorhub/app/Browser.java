package io.connectorhub.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, with a fresh profile, driven through {@code /usr/bin/chromedriver} (nothing is
 * downloaded). Fails with the fix when either is missing.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    public final ChromeDriver driver;
    final String base;
    private final Path profile;

    private Browser(ChromeDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    /** A browser at {@code http://127.0.0.1:<port>}, {@code width} pixels wide, in English. */
    public static Browser open(int port, int width) throws IOException {
        return open(port, width, "en-US");
    }

    /** A browser whose preferred language is {@code language} (e.g. {@code zh-CN}). */
    public static Browser open(int port, int width, String language) throws IOException {
        for (Path p : List.of(CHROMIUM, DRIVER))
            if (!Files.isExecutable(p))
                throw new AssertionError(
                        p + " is missing: the browser tests need Debian's chromium and chromium-driver;"
                                + " run build/test-services ensure (as root) or apt-get install chromium chromium-driver");
        Path profile = Files.createTempDirectory("hub-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--lang=" + language,
                "--window-size=" + width + ",900",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), "http://127.0.0.1:" + port, profile);
    }

    public Browser go(String path) {
        driver.get(base + path);
        return this;
    }

    public WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void awaitText(By by, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Signs in through the form and waits for the chat. */
    Browser signIn(String username, String password) {
        go("/");
        await(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
        await(By.id("message"));
        return this;
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                List<Path> all = new ArrayList<>(files.toList());
                java.util.Collections.reverse(all);
                for (Path p : all) Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
