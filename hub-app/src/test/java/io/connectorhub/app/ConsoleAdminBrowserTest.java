package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.channel.websocket.WsTestClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The console's admin pages in a real browser (headless Chromium), one hub and one signed-in admin browser for all:
 * inbound hooks, gateways, users, every session, the configuration. Text that looks like HTML is shown as text on
 * each. A failing test leaves a screenshot under {@code target/screenshots/}.
 */
class ConsoleAdminBrowserTest {
    private static final String ADMIN_PASSWORD = "admin password for the admin pages";
    private static final String XSS = "<img src=x onerror=window.__xss=1>";
    private static final String WS_TOKEN = "ws-secret-token-for-the-admin-pages";

    @TempDir
    static Path dir;

    private static AdminHarness hub;
    private static Browser b;

    @RegisterExtension
    final AfterTestExecutionCallback screenshots = context -> {
        if (context.getExecutionException().isPresent() && b != null)
            b.screenshot(Path.of(
                    "target/screenshots",
                    "admin-" + context.getRequiredTestMethod().getName() + ".png"));
    };

    @BeforeAll
    static void start() throws Exception {
        hub = AdminHarness.start(AdminHarness.config(dir, """
                        gateways:
                          allowPrivateTargets: true
                        channels:
                          websocket: {token: %s, allowFrom: ["*", "%s"]}
                        """.formatted(WS_TOKEN, XSS)), Clock.systemUTC());
        hub.ok("POST", "/api/v1/users", Map.of("username", "ada", "password", ADMIN_PASSWORD, "role", "admin"));
        b = Browser.open(hub.hub.port(), 1280).signIn("ada", ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (hub != null) hub.close();
    }

    private static void assertShownAsText() {
        assertTrue(
                b.driver.findElements(By.cssSelector("main img, section img")).isEmpty(), "no image was made");
        assertNull(b.js("return window.__xss"), "no script ran");
    }

    private static By cell(String text) {
        return By.xpath("//td[normalize-space()=\"" + text + "\"]");
    }

    @Test
    void addsAndDeletesAnInboundHookWhoseDescriptionIsShownAsText() throws Exception {
        b.go("/#/admin/hooks");
        b.await(By.id("hook-description")).sendKeys(XSS);
        b.driver
                .findElement(By.xpath("//form[.//input[@id='hook-description']]//button[@type='submit']"))
                .click();
        b.awaitText(By.cssSelector("p.code"), "/hooks/");
        b.await(cell(XSS));
        assertShownAsText();
        String id = hub.call("GET", "/api/v1/hooks", AdminHarness.WRITE, null)
                .json()
                .get("hooks")
                .get(0)
                .get("id")
                .asText();
        b.driver
                .findElement(By.xpath("//button[@aria-label='Delete: " + id + "']"))
                .click();
        b.driver.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.driver.findElements(cell(XSS)).isEmpty());
        assertEquals(
                0,
                hub.call("GET", "/api/v1/hooks", AdminHarness.WRITE, null)
                        .json()
                        .get("hooks")
                        .size());
    }

    @Test
    void showsAGatewayWithItsStateWeightAndHeartbeat() throws Exception {
        hub.ok(
                "POST",
                "/api/v1/gateways",
                Map.of(
                        "name",
                        "gpu-box",
                        "url",
                        "http://127.0.0.1:9",
                        "token",
                        "gateway-token-0123456789",
                        "weight",
                        7));
        b.go("/#/admin/gateways");
        b.await(cell("gpu-box"));
        b.await(cell("7"));
        assertEquals(
                1,
                b.driver.findElements(cell("offline")).size()
                        + b.driver.findElements(cell("online")).size());
        assertFalse(b.driver.getPageSource().contains("gateway-token-0123456789"), "the token is not shown");
        assertShownAsText();
    }

    @Test
    void addsInvitesDisablesAndResetsThePasswordOfUsersAndShowsTheirNamesAsText() throws Exception {
        hub.ok("POST", "/api/v1/users", Map.of("username", "mallory", "password", ADMIN_PASSWORD, "display_name", XSS));
        b.go("/#/admin/users");
        b.await(cell(XSS));
        assertShownAsText();

        b.await(By.id("user-name")).sendKeys("frank");
        b.driver
                .findElement(By.xpath("//form[.//input[@id='user-name']]//button[@type='submit']"))
                .click();
        b.awaitText(By.cssSelector("p.code"), "New password (shown once):");
        b.await(cell("frank"));

        b.driver.findElement(By.xpath("//button[normalize-space()='Invite']")).click();
        b.awaitText(By.cssSelector("p.code"), "Invite code (shown once):");

        b.driver
                .findElement(By.xpath("//button[@aria-label='Reset password: frank']"))
                .click();
        b.awaitText(By.cssSelector("p.code"), "New password (shown once):");
        String shown = b.driver.findElement(By.cssSelector("p.code")).getText();
        String password = shown.substring(shown.indexOf(':') + 1).strip();
        assertEquals(
                200,
                hub.call("POST", "/api/v1/auth/login", null, Map.of("username", "frank", "password", password))
                        .status(),
                "the password shown signs in");

        b.driver.findElement(By.xpath("//button[@aria-label='Disable: frank']")).click();
        b.await(By.xpath("//button[@aria-label='Enable: frank']"));
        assertEquals(
                401,
                hub.call("POST", "/api/v1/auth/login", null, Map.of("username", "frank", "password", password))
                        .status(),
                "a disabled user cannot sign in");
    }

    @Test
    void filtersReadsAndDeletesSessionsOfEveryChannelShowingMessagesAsText() throws Exception {
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), WS_TOKEN)) {
            ws.result("chat.send", Map.of("text", XSS, "session_key", "html"));
            ws.result("chat.send", Map.of("text", "plain", "session_key", "other"));
        }
        b.go("/#/admin/sessions");
        b.await(By.id("session-filter")).sendKeys("websocket:ht");
        b.driver
                .findElement(By.xpath("//form[.//input[@id='session-filter']]//button[@type='submit']"))
                .click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.driver.findElements(cell("websocket:other")).isEmpty()
                        && !b.driver.findElements(cell("websocket:html")).isEmpty());

        b.driver
                .findElement(By.xpath("//button[@aria-label='Read: websocket:html']"))
                .click();
        b.awaitText(By.cssSelector(".messages"), XSS);
        assertTrue(b.driver.findElements(By.cssSelector(".messages .msg.user .body")).stream()
                .anyMatch(e -> e.getText().equals(XSS)));
        assertShownAsText();

        b.driver
                .findElement(By.xpath("//button[@aria-label='Delete: websocket:html']"))
                .click();
        b.driver.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.driver.findElements(cell("websocket:html")).isEmpty());
        assertEquals(
                404,
                hub.call("GET", "/api/v1/sessions/websocket:html/messages", AdminHarness.WRITE, null)
                        .status());
    }

    @Test
    void showsTheConfigurationWithSecretsRedactedAndValuesAsText() {
        b.go("/#/admin/config");
        b.awaitText(By.cssSelector("pre.config"), XSS);
        String shown = b.driver.findElement(By.cssSelector("pre.config")).getText();
        assertTrue(shown.contains("***"), shown);
        for (String secret : List.of(WS_TOKEN, AdminHarness.WRITE, AdminHarness.READ))
            assertFalse(b.driver.getPageSource().contains(secret), "a secret on the page");
        assertShownAsText();
    }
}
