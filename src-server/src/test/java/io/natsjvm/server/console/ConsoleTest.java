package io.natsjvm.server.console;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.util.AccountsConfig;
import io.natsjvm.server.util.Browser;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operations console in a real headless Chromium: it goes live, a client connecting appears
 * in the event stream within a second, its account's connection bar moves, a failed login shows,
 * and the kind filter hides the rest.
 */
class ConsoleTest {
    @Test
    void theConsoleShowsConnectionsAccountsAndFailedLoginsLive() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromium-driver are not installed");
        try (TestServer s = TestServer.fromConfig(AccountsConfig.CONFIG + "\nhttp_port: -1\n");
                Browser browser = new Browser()) {
            String base = "http://127.0.0.1:" + s.server().httpPort();
            browser.open(base + "/");
            assertTrue(browser.driver().getPageSource().contains("/console"), "linked from /");
            browser.open(base + "/console");
            browser.until(() -> browser.text("#status").equals("live"), 5000, "the stream to go live");
            browser.until(() -> !browser.all("[data-account='USERS'] .conns-value").isEmpty(), 3000,
                    "the USERS account");
            String before = browser.text("[data-account='USERS'] .conns-value");

            long start = System.nanoTime();
            try (Connection c = Nats.connect(new Options.Builder().server(s.url()).userInfo("a", "a")
                    .connectionName("console-probe").build())) {
                browser.until(() -> browser.all("#events li[data-kind='CONNECT']").stream()
                        .anyMatch(li -> li.getText().contains("console-probe")), 1000, "the CONNECT in the stream");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 1000, "shown after " + ms + " ms");
                browser.until(() -> !browser.text("[data-account='USERS'] .conns-value").equals(before), 2500,
                        "the USERS connection bar to move from " + before);
                assertTrue(browser.text("[data-account='USERS'] .conns-value").startsWith("1"),
                        browser.text("[data-account='USERS'] .conns-value"));

                try (RawClient bad = s.raw()) {
                    bad.send("CONNECT {\"user\":\"a\",\"pass\":\"wrong\",\"name\":\"intruder\"}\r\n");
                    bad.expect("-ERR 'Authorization Violation'");
                    bad.expectClosed();
                }
                browser.until(() -> browser.all("#events li[data-kind='AUTH.ERR']").stream()
                        .anyMatch(li -> li.getText().contains("intruder")), 2000, "the failed login");

                browser.screenshot(Path.of("target", "console.png"));
                String dir = System.getProperty("console.screenshots");
                if (dir != null) {
                    browser.screenshot(Path.of(dir, "console.png"));
                }

                // filter by kind: only the failed login stays visible
                ((JavascriptExecutor) browser.driver()).executeScript("const k = document.getElementById('filter-kind');"
                        + " k.value = 'AUTH.ERR'; k.dispatchEvent(new Event('change'));");
                for (WebElement li : browser.all("#events li")) {
                    boolean shown = li.isDisplayed();
                    assertTrue(shown == "AUTH.ERR".equals(li.getAttribute("data-kind")), li.getText());
                }
            }
        }
    }
}
