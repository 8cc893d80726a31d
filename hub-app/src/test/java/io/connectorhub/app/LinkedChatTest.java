package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linked chat accounts through the fake Telegram Bot API (WireMock, webhook mode): {@code /link CODE} from a sender not
 * on {@code allowFrom}, the user's links and sessions over HTTP, unlinking, {@code allowLinked: false} and {@code
 * sessions.shareLinked}.
 */
class LinkedChatTest {
    private static final String TOKEN = "123456:LINK-test-token-abcdefghijklmnop";
    private static final String SECRET = "link-webhook_secret";
    private static final String SHARED = "shared-token-0123456789abcdef";
    private static final String PASSWORD = "correct horse battery";
    private static final String STRANGER = "77";

    @TempDir
    Path dir;

    private final AtomicInteger updates = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer bot;
    private AdminHarness hub;

    @BeforeEach
    void fakeBotApi() {
        bot = TelegramBotStub.start(TOKEN, 77, 1);
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        bot.stop();
    }

    private void start(String telegramExtra, String extra) throws Exception {
        hub = AdminHarness.start(
                AdminHarness.config(dir, """
                        channels:
                          websocket: {token: %s}
                          telegram:
                            {enabled: true, token: "%s", allowFrom: ["42"], apiUrl: "http://127.0.0.1:%d",
                             mode: webhook, webhookUrl: "https://hub.example.com/telegram/webhook",
                             webhookSecret: %s%s}
                        %s
                        """.formatted(SHARED, TOKEN, bot.port(), SECRET, telegramExtra, extra)),
                Clock.systemUTC());
    }

    /** Signs in a new user {@code name}; returns their access token. */
    private String user(String name) throws Exception {
        hub.ok("POST", "/api/v1/users", Map.of("username", name, "password", PASSWORD));
        AdminHarness.Reply login =
                hub.call("POST", "/api/v1/auth/login", null, Map.of("username", name, "password", PASSWORD));
        assertEquals(200, login.status(), login.body());
        return login.json().get("access_token").asText();
    }

    private String linkCode(String access) throws Exception {
        AdminHarness.Reply r = hub.call("POST", "/api/v1/me/links", access, null);
        assertEquals(201, r.status(), r.body());
        assertTrue(r.json().has("expires_at"), r.body());
        return r.json().get("code").asText();
    }

    /** Sends {@code text} to the bot from Telegram user {@code sender} in their private chat. */
    private void send(String sender, String text) throws Exception {
        int id = updates.incrementAndGet();
        String update = """
                {"update_id":%d,"message":{"message_id":%d,"date":1700000000,"chat":{"id":%s,"type":"private"},
                 "from":{"id":%s,"is_bot":false,"first_name":"B"},"text":%s}}""".formatted(id, id, sender, sender, AdminHarness.JSON.writeValueAsString(text));
        HttpResponse<String> delivered = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub.port() + "/telegram/webhook"))
                        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                        .POST(HttpRequest.BodyPublishers.ofString(update))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delivered.statusCode(), delivered.body());
    }

    /** The texts the bot sent (or edited to) so far. */
    private List<String> sent() throws Exception {
        List<String> out = new ArrayList<>();
        for (var r : bot.findAll(postRequestedFor(TelegramBotStub.method(TOKEN, "(sendMessage|editMessageText)"))))
            out.add(AdminHarness.JSON.readTree(r.getBodyAsString()).path("text").asText());
        return out;
    }

    private void awaitSent(String part) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sent().stream().anyMatch(t -> t.contains(part)));
    }

    private long countSent(String part) throws Exception {
        return sent().stream().filter(t -> t.contains(part)).count();
    }

    @Test
    void aStrangerLinksWithACodeThenChatsAndTheConversationIsTheUsersUntilUnlinked() throws Exception {
        start("", "");
        String ann = user("ann");
        try (LogCapture logs = new LogCapture()) {
            send(STRANGER, "hello before linking");
            send(STRANGER, "/link AAAABBBB");
            awaitSent("link code is wrong");
            assertEquals(0, countSent("You said: hello before linking"), "a sender not allowed reaches no agent");

            String code = linkCode(ann);
            send(STRANGER, "/link " + code.toLowerCase());
            awaitSent("Linked");
            send(STRANGER, "hi as ann");
            awaitSent("You said: hi as ann");

            JsonNode links =
                    hub.call("GET", "/api/v1/me/links", ann, null).json().get("links");
            assertEquals(1, links.size(), links.toString());
            assertEquals("telegram", links.get(0).get("channel").asText());
            assertEquals(STRANGER, links.get(0).get("sender_id").asText());
            assertTrue(links.get(0).has("linked_at"));

            JsonNode sessions =
                    hub.call("GET", "/api/v1/me/sessions", ann, null).json().get("sessions");
            assertEquals(1, sessions.size(), sessions.toString());
            assertEquals(
                    "telegram:" + STRANGER, sessions.get(0).get("session_key").asText());
            assertEquals("telegram", sessions.get(0).get("channel").asText());
            JsonNode messages = hub.call("GET", "/api/v1/me/sessions/telegram:77/messages", ann, null)
                    .json()
                    .get("messages");
            assertEquals("hi as ann", messages.get(0).get("text").asText(), messages.toString());
            assertFalse(messages.toString().contains("/link"), "the link command stays out of the history");
            assertEquals(
                    403,
                    hub.call("DELETE", "/api/v1/me/sessions/telegram:77", ann, null)
                            .status());
            String bob = user("bob");
            assertEquals(
                    0,
                    hub.call("GET", "/api/v1/me/sessions", bob, null)
                            .json()
                            .get("sessions")
                            .size());
            assertEquals(
                    404,
                    hub.call("GET", "/api/v1/me/sessions/telegram:77/messages", bob, null)
                            .status());
            assertEquals(
                    404,
                    hub.call("DELETE", "/api/v1/me/links/telegram:77", bob, null)
                            .status());

            assertEquals(
                    204,
                    hub.call("DELETE", "/api/v1/me/links/telegram:77", ann, null)
                            .status());
            send(STRANGER, "hello after unlinking");
            send(STRANGER, "/link " + code);
            awaitSent("link code is wrong");
            assertEquals(0, countSent("You said: hello after unlinking"), "an unlinked sender is refused again");
            assertEquals(
                    0,
                    hub.call("GET", "/api/v1/me/links", ann, null)
                            .json()
                            .get("links")
                            .size());

            for (String line : logs.lines()) {
                assertFalse(line.contains(code), "a link code was logged: " + line);
                assertFalse(line.contains("AAAABBBB"), "a wrong link code was logged: " + line);
            }
        }
    }

    @Test
    void wrongCodesAreThrottledPerSenderEvenWhenTheRightOneFollows() throws Exception {
        start("", "");
        String ann = user("ann");
        for (int i = 0; i < 5; i++) send(STRANGER, "/link WRONG" + "ABC".charAt(i % 3) + "23");
        await().atMost(Duration.ofSeconds(10)).until(() -> countSent("link code is wrong") == 5);
        String code = linkCode(ann);
        send(STRANGER, "/link " + code);
        awaitSent("Too many wrong link codes");
        assertEquals(0, countSent("Linked"));
        assertEquals(
                0,
                hub.call("GET", "/api/v1/me/links", ann, null)
                        .json()
                        .get("links")
                        .size());

        send("78", "/link " + code);
        awaitSent("Linked");
    }

    @Test
    void withAllowLinkedFalseALinkedSenderIsStillRefused() throws Exception {
        start(", allowLinked: false", "");
        String ann = user("ann");
        send(STRANGER, "/link " + linkCode(ann));
        awaitSent("Linked");
        send(STRANGER, "hello while links are off");
        send(STRANGER, "/link AAAABBBB");
        awaitSent("link code is wrong");
        assertEquals(0, countSent("You said: hello while links are off"));
    }

    @Test
    void withShareLinkedAWebSocketMessageAndATelegramMessageOfOneUserAreOneConversation() throws Exception {
        start("", "sessions:\n  shareLinked: true\n");
        String ann = user("ann");
        String id =
                hub.call("GET", "/api/v1/auth/me", ann, null).json().get("id").asText();
        send(STRANGER, "/link " + linkCode(ann));
        awaitSent("Linked");

        WsTestClient ws = WsTestClient.connect(hub.hub.port(), Map.of());
        try {
            ws.result("connect", Map.of("token", ann));
            JsonNode answer = ws.result("chat.send", Map.of("text", "from the web"));
            assertTrue(answer.toString().contains("You said: from the web"), answer.toString());
        } finally {
            ws.close();
        }
        send(STRANGER, "from telegram");
        awaitSent("You said: from telegram\n(message 2 in this conversation)");

        List<String> texts = new ArrayList<>();
        hub.call("GET", "/api/v1/me/sessions/user:" + id + "/messages", ann, null)
                .json()
                .get("messages")
                .forEach(m -> texts.add(m.get("text").asText()));
        assertEquals(4, texts.size(), texts.toString());
        assertEquals("from the web", texts.get(0));
        assertEquals("from telegram", texts.get(2));
    }
}
