package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web console in a real browser (headless Chromium) against one assembled hub: signing in, chat, two users apart,
 * an admin's webhook and live channel state, text that looks like HTML. A failing test leaves a screenshot of each of
 * its browsers under {@code target/screenshots/}. With {@code -Dconsole.screenshots=<dir>} the chat and admin tests
 * also save the README's pictures there.
 */
class ConsoleBrowserTest {
    private static final String ADMIN_PASSWORD = "admin password for the console test";
    private static final String USER_PASSWORD = "user password for the console test";
    private static final String XSS = "<img src=x onerror=window.__xss=1>";
    private static final String FAKE_REPLY = "Answered by the fake LLM";

    @TempDir
    static Path dir;

    private static AdminHarness hub;
    private static WireMockServer receiver;
    private static final FakePlatformChannel.Factory breakable = new FakePlatformChannel.Factory();

    private final List<Browser> browsers = new ArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback screenshots = context -> {
        if (context.getExecutionException().isEmpty()) return;
        for (int i = 0; i < browsers.size(); i++)
            browsers.get(i)
                    .screenshot(Path.of(
                            "target/screenshots",
                            context.getRequiredTestMethod().getName() + "-" + i + ".png"));
    };

    @BeforeAll
    static void start() throws Exception {
        receiver = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(ok()));
        receiver.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(streamed(FAKE_REPLY.split("(?= )")))
                        // the pieces arrive over 1.5 s, so the browser shows the reply as it is written
                        .withChunkedDribbleDelay(6, 1500)));
        var config = AdminHarness.config(dir, """
                webhooks:
                  allowPrivateTargets: true
                agents:
                  fake: {type: openai, baseUrl: "http://127.0.0.1:%d/v1", model: test-model, maxRetries: 0}
                """.formatted(receiver.port()), List.of(breakable));
        hub = AdminHarness.start(config, Clock.systemUTC());
        hub.ok("POST", "/api/v1/users", Map.of("username", "ada", "password", ADMIN_PASSWORD, "role", "admin"));
        hub.ok("POST", "/api/v1/users", Map.of("username", "bob", "password", USER_PASSWORD));
        hub.ok("POST", "/api/v1/users", Map.of("username", "cy", "password", USER_PASSWORD));
        hub.ok("POST", "/api/v1/users", Map.of("username", "dee", "password", USER_PASSWORD));
        hub.ok("POST", "/api/v1/users", Map.of("username", "eve", "password", USER_PASSWORD));
        hub.ok("POST", "/api/v1/users", Map.of("username", "fay", "password", USER_PASSWORD));
    }

    /** An OpenAI chat-completions event stream whose deltas are {@code pieces}. */
    private static String streamed(String... pieces) {
        StringBuilder body = new StringBuilder();
        for (String piece : pieces) {
            body.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(piece)
                    .append("\"}}]}\n\n");
        }
        return body.append("data: [DONE]\n\n").toString();
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (receiver != null) receiver.stop();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
    }

    private Browser browser() throws Exception {
        return browser(1280);
    }

    private Browser browser(int width) throws Exception {
        Browser b = Browser.open(hub.hub.port(), width);
        browsers.add(b);
        return b;
    }

    private static void saveForReadme(Browser b, String name) throws Exception {
        String to = System.getProperty("console.screenshots");
        if (to != null && !to.isBlank()) b.screenshot(Path.of(to, name));
    }

    private static void send(Browser b, String text) {
        WebElement input = b.await(By.id("message"));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    private static List<String> replies(Browser b) {
        return b.driver.findElements(By.cssSelector(".msg.assistant .body")).stream()
                .map(WebElement::getText)
                .toList();
    }

    @Test
    void signsInStaysSignedInAcrossAReloadAndSignsOut() throws Exception {
        Browser b = browser().go("/");
        b.await(By.xpath("//label[@for='username' and normalize-space()='Username']"));
        b.await(By.xpath("//label[@for='password' and normalize-space()='Password']"));
        b.signIn("bob", USER_PASSWORD);
        assertNull(
                b.js("return document.cookie.includes('hub_refresh') ? 'readable' : null"), "the cookie is HttpOnly");

        b.driver.navigate().refresh();
        b.await(By.id("message"));

        b.driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
        b.await(By.id("username"));
        b.driver.navigate().refresh();
        b.await(By.id("username"));
    }

    @Test
    void aWrongPasswordIsShownNextToTheForm() throws Exception {
        Browser b = browser().go("/");
        b.await(By.id("username")).sendKeys("bob");
        b.driver.findElement(By.id("password")).sendKeys("not the password at all");
        b.driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
        b.awaitText(By.cssSelector(".signin [role=alert]"), "wrong username or password");
    }

    @Test
    void speaksTheBrowsersLanguageAndRemembersASwitch() throws Exception {
        Browser b = Browser.open(hub.hub.port(), 1280, "zh-CN");
        browsers.add(b);
        b.go("/");
        b.awaitText(By.xpath("//label[@for='username']"), "用户名");
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("language"))).selectByValue("en");
        b.awaitText(By.xpath("//label[@for='username']"), "Username");
        b.driver.navigate().refresh();
        b.awaitText(By.xpath("//label[@for='username']"), "Username");
        assertEquals("en", b.js("return document.documentElement.lang"));
    }

    @Test
    void signsInWithTheKeyboardAlone() throws Exception {
        Browser b = browser().go("/");
        b.await(By.id("username"));
        assertEquals("username", b.driver.switchTo().activeElement().getAttribute("id"));
        b.driver.switchTo().activeElement().sendKeys("bob", Keys.TAB);
        assertEquals("password", b.driver.switchTo().activeElement().getAttribute("id"));
        b.driver.switchTo().activeElement().sendKeys(USER_PASSWORD, Keys.TAB);
        assertEquals("Sign in", b.driver.switchTo().activeElement().getText());
        b.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        b.await(By.id("message"));
    }

    @Test
    void chatsWithAStreamedReplyFromTheBuiltInAgent() throws Exception {
        Browser b = browser().signIn("bob", USER_PASSWORD);
        b.await(By.xpath("//label[@for='message' and normalize-space()='Message']"));
        WebElement input = b.await(By.id("message"));
        input.sendKeys("first line", Keys.chord(Keys.SHIFT, Keys.ENTER), "second line");
        assertEquals("first line\nsecond line", input.getDomProperty("value"), "Shift+Enter adds a line");
        assertTrue(replies(b).isEmpty(), "Shift+Enter sent nothing");
        input.sendKeys(Keys.ENTER);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> replies(b).stream().anyMatch(r -> r.contains("You said: first line")));
        assertEquals("", input.getDomProperty("value"));
        b.await(By.cssSelector(".session-list button.open"));
        saveForReadme(b, "console-chat.png");
    }

    @Test
    void twoUsersNeverSeeEachOthersConversations() throws Exception {
        Browser ada = browser().signIn("ada", ADMIN_PASSWORD);
        Browser cy = browser().signIn("cy", USER_PASSWORD);
        send(ada, "alpha for ada only");
        send(cy, "charlie for cy only");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> replies(ada).size() == 1 && replies(cy).size() == 1);
        cy.driver.navigate().refresh();
        cy.await(By.cssSelector(".session-list button.open"));
        for (WebElement open : cy.driver.findElements(By.cssSelector(".session-list button.open"))) {
            open.click();
            cy.awaitText(By.cssSelector(".messages"), "charlie");
            assertFalse(
                    cy.driver.findElement(By.cssSelector(".messages")).getText().contains("alpha"));
        }
        assertFalse(cy.driver.getPageSource().contains("alpha for ada only"));
        ada.driver.navigate().refresh();
        ada.await(By.cssSelector(".session-list button.open")).click();
        ada.awaitText(By.cssSelector(".messages"), "alpha for ada only");
        assertFalse(ada.driver.getPageSource().contains("charlie for cy only"));
    }

    @Test
    void aMessageThatLooksLikeHtmlIsShownAsText() throws Exception {
        Browser b = browser(360).signIn("bob", USER_PASSWORD);
        send(b, XSS);
        await().atMost(Duration.ofSeconds(20)).until(() -> replies(b).stream().anyMatch(r -> r.contains(XSS)));
        assertTrue(b.driver.findElements(By.cssSelector(".msg.user .body")).stream()
                .anyMatch(e -> e.getText().equals(XSS)));
        assertTrue(b.driver.findElements(By.cssSelector(".messages img")).isEmpty());
        assertNull(b.js("return window.__xss"));
    }

    @Test
    void anAdminAddsAWebhookToALocalReceiverAndSeesItsDelivery() throws Exception {
        Browser b = browser().signIn("ada", ADMIN_PASSWORD).go("/#/admin/webhooks");
        String url = "http://127.0.0.1:" + receiver.port() + "/hook";
        b.await(By.id("wh-url")).sendKeys(url);
        b.driver
                .findElement(By.xpath("//form[.//input[@id='wh-url']]//button[@type='submit']"))
                .click();
        b.awaitText(By.cssSelector("p.code"), "whsec_");
        b.await(By.xpath("//button[@aria-label='Test: " + url + "']")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            b.driver
                    .findElement(By.xpath("//button[@aria-label='Deliveries: " + url + "']"))
                    .click();
            return b.driver
                            .findElements(By.xpath("//td[normalize-space()='delivered']"))
                            .size()
                    > 0;
        });
        assertEquals(1, receiver.findAll(postRequestedFor(urlEqualTo("/hook"))).size());
    }

    @Test
    void aChannelThatFailsShowsUpAsFailedWithoutReloadingAndItsErrorAsText() throws Exception {
        Browser b = browser().signIn("ada", ADMIN_PASSWORD).go("/#/admin/channels");
        b.awaitText(By.cssSelector("[data-channel='fakeplatform']"), "running");
        b.awaitText(By.cssSelector("[role=status]"), "live");
        b.js("window.__samePage = true");
        breakable.created.get().breakWith(XSS);
        b.awaitText(By.cssSelector("[data-channel='fakeplatform']"), "failed");
        assertEquals(true, b.js("return window.__samePage"), "the page was not reloaded");
        assertTrue(b.driver
                        .findElements(By.xpath("//td[normalize-space()=\"" + XSS + "\"]"))
                        .size()
                == 1);
        assertTrue(b.driver.findElements(By.cssSelector("table img")).isEmpty());
        assertNull(b.js("return window.__xss"));
        b.await(By.cssSelector(".chart svg"));
        saveForReadme(b, "console-admin.png");
    }

    @Test
    void theAgentPickerSendsTheMessageToTheChosenAgent() throws Exception {
        Browser b = browser().signIn("dee", USER_PASSWORD);
        b.await(By.xpath("//label[@for='agent' and normalize-space()='Agent']"));
        var picker = new org.openqa.selenium.support.ui.Select(b.await(By.id("agent")));
        assertEquals(
                List.of("", "builtin", "fake"),
                picker.getOptions().stream().map(o -> o.getDomProperty("value")).toList());
        picker.selectByValue("fake");
        send(b, "who answers?");
        await().atMost(Duration.ofSeconds(20)).until(() -> replies(b).contains(FAKE_REPLY));
        picker.selectByValue("builtin");
        send(b, "and now?");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> replies(b).stream().anyMatch(r -> r.startsWith("You said: and now?")));
    }

    @Test
    void showsTheReplyPieceByPieceWhileItIsWritten() throws Exception {
        Browser b = browser().signIn("fay", USER_PASSWORD);
        new org.openqa.selenium.support.ui.Select(b.await(By.id("agent"))).selectByValue("fake");
        // Records every text the reply's bubble shows, from the first piece to the whole reply.
        b.js("""
                window.__shown = [];
                new MutationObserver(() => document.querySelectorAll('.msg.assistant .body')
                        .forEach((e) => window.__shown.push(e.textContent)))
                    .observe(document.body, {subtree: true, childList: true, characterData: true});
                """);
        send(b, "stream it");
        await().atMost(Duration.ofSeconds(20)).until(() -> replies(b).contains(FAKE_REPLY));
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) b.js("return window.__shown;");
        List<String> partial = shown.stream()
                .filter(text -> !text.isEmpty() && text.length() < FAKE_REPLY.length() && FAKE_REPLY.startsWith(text))
                .distinct()
                .toList();
        assertFalse(partial.isEmpty(), "the reply was shown only when whole: " + shown);
    }

    @Test
    void searchesRenamesAndPagesConversationsThroughTheServer() throws Exception {
        String access = hub.call(
                        "POST", "/api/v1/auth/login", null, Map.of("username", "eve", "password", USER_PASSWORD))
                .json()
                .get("access_token")
                .asText();
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), access)) {
            for (int i = 0; i < 26; i++) ws.result("chat.send", Map.of("text", "turn " + i, "session_key", "long"));
            ws.result("chat.send", Map.of("text", "a penguin on the ice", "session_key", "birds"));
        }
        Browser b = browser().signIn("eve", USER_PASSWORD);
        b.await(By.xpath("//ul[contains(@class,'session-list')]//button[normalize-space()='birds']"));

        b.await(By.cssSelector("input[type=search]")).sendKeys("penguin");
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionTitles(b).equals(List.of("birds")));

        b.driver.findElement(By.xpath("//button[@aria-label='Rename: birds']")).click();
        var prompt = b.driver.switchTo().alert();
        prompt.sendKeys("Polar notes");
        prompt.accept();
        b.await(By.xpath("//ul[contains(@class,'session-list')]//button[normalize-space()='Polar notes']"));
        assertEquals(
                "Polar notes",
                hub.call("GET", "/api/v1/me/sessions/birds", access, null)
                        .json()
                        .get("title")
                        .asText());
        b.driver.navigate().refresh();
        b.await(By.xpath("//ul[contains(@class,'session-list')]//button[normalize-space()='Polar notes']"));

        b.await(By.xpath("//ul[contains(@class,'session-list')]//button[normalize-space()='long']"))
                .click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.driver
                                .findElements(By.cssSelector(".messages li.msg"))
                                .size()
                        == 50);
        b.await(By.xpath("//button[normalize-space()='Load older messages']")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.driver
                                .findElements(By.cssSelector(".messages li.msg"))
                                .size()
                        == 52);
        assertEquals(
                "turn 0",
                b.driver.findElement(By.cssSelector(".messages li.msg .body")).getText());
    }

    /** The conversations listed, read at once (the list is redrawn as answers come). */
    @SuppressWarnings("unchecked")
    private static List<String> sessionTitles(Browser b) {
        return (List<String>)
                b.js("return [...document.querySelectorAll('.session-list button.open')]" + ".map(e => e.textContent)");
    }
}
