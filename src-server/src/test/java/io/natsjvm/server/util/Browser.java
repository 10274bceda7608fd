package io.natsjvm.server.util;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, with the
 * flags this machine needs (no sandbox as root, no background networking on a closed network).
 * {@link #available()} says whether the browser is installed; tests assume it.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    public Browser() throws Exception {
        ChromeOptions o = new ChromeOptions().setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1100", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the first element matching {@code css}, or "" when there is none. */
    public String text(String css) {
        List<WebElement> e = all(css);
        return e.isEmpty() ? "" : e.get(0).getText();
    }

    /** Waits (polling the page, which has no event to await from here) until {@code check} holds. */
    public void until(Supplier<Boolean> check, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (check.get()) {
                    return;
                }
            } catch (RuntimeException stale) {
                // the page redrew the element while we read it: try again
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
    }

    public void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
