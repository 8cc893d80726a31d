package io.connectorhub.channel.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.PlatformWebhook;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.testing.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Webhook mode and the changes between polling and a webhook, including those the Bot API refuses or leaves
 * unanswered: after each, an update delivered the way the bot really receives is answered.
 */
class TelegramWebhookTest extends TelegramHubTest {
    private static final String A = "https://a.example.com/telegram/webhook";
    private static final String B = "https://b.example.com/telegram/webhook";
    private static final String SECRET = "the-right_secret";
    private static final String WEBHOOK_A = """
            mode: webhook
            webhookUrl: %s
            webhookSecret: %s
            """.formatted(A, SECRET);
    private static final String BAD_WEBHOOK =
            "Bad Request: bad webhook: Failed to resolve host: Name or service not known";

    @Test
    void theWebhookAcceptsOnlyTheRightSecretAndAnswersAfterStoring() throws Exception {
        start(WEBHOOK_A, echo);
        FakeBotApi.Call registration = api.calls("setWebhook").getFirst();
        assertEquals(A, registration.params().get("url").asText());
        assertEquals(SECRET, registration.params().get("secret_token").asText());

        String body = webhookBody(api.message(42, "private", 42, "bob", "via webhook"));
        assertEquals(401, post(body, null));
        assertEquals(401, post(body, "the-wrong-secret"));
        assertEquals(0, hub.runtime().inbox().unfinished(10).size());
        assertEquals(200, post(body, SECRET));
        assertEquals(200, post(body, SECRET));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: via webhook").size() == 1);
        assertTrue(api.calls("getUpdates").isEmpty(), "no polling while the webhook is set");
        assertEquals(1, agentCalls.get());
    }

    @Test
    void theAdminApiCanMoveTheBotToAWebhookAndBack() throws Exception {
        start("", echo);
        await().until(() -> !api.calls("getUpdates").isEmpty());
        PlatformWebhook webhook = channel();
        assertEquals("polling", webhook.webhookStatus().mode());

        IllegalArgumentException plainHttp = assertThrows(
                IllegalArgumentException.class,
                () -> webhook.registerWebhook("http://hub.example.org/telegram/webhook"));
        assertTrue(plainHttp.getMessage().contains("https://"), plainHttp.getMessage());
        assertTrue(api.calls("setWebhook").isEmpty(), "nothing is registered");
        assertEquals("polling", webhook.webhookStatus().mode());

        webhook.registerWebhook(A);
        String secret = api.webhookSecret();
        assertEquals(secret, storedSecret());
        assertEquals("webhook", webhook.webhookStatus().mode());
        assertEquals(A, webhook.webhookStatus().url());
        String body = webhookBody(api.message(42, "private", 42, "bob", "pushed"));
        assertEquals(200, post(body, secret));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: pushed").size() == 1);

        webhook.unregisterWebhook();
        assertNull(api.webhook());
        assertEquals("polling", webhook.webhookStatus().mode());
        assertEquals(401, post(body, secret));
        answeredByPolling("polled again");
        assertNull(webhook.webhookStatus().lastError());
    }

    @Test
    void aRefusedWebhookLeavesTheBotPollingAndSaysWhatTelegramAnswered() throws Exception {
        start("", echo);
        await().until(() -> !api.calls("getUpdates").isEmpty());
        api.fail("setWebhook", 400, BAD_WEBHOOK, null);

        Exception refused = assertThrows(Exception.class, () -> channel().registerWebhook(B));
        assertMentions(refused.getMessage(), BAD_WEBHOOK);
        PlatformWebhook.Status status = channel().webhookStatus();
        assertEquals("polling", status.mode());
        assertNull(status.url());
        assertMentions(status.lastError(), BAD_WEBHOOK);
        assertEquals(ChannelStatus.State.RUNNING, state());
        assertTrue(api.calls("deleteWebhook").isEmpty(), "Telegram changed nothing, so there is nothing to undo");
        answeredByPolling("still polling?");

        restart();
        assertFalse(Files.exists(dir.resolve("data/telegram-webhook.url")));
        answeredByPolling("polling after a restart?");
        assertEquals(1, api.calls("setWebhook").size());
    }

    @Test
    void aWebhookWhoseAnswerIsLostIsDeletedAgainAndPollingResumes() throws Exception {
        start("", echo);
        await().until(() -> !api.calls("getUpdates").isEmpty());
        api.badGateway("setWebhook", true); // Telegram set it, a proxy lost the answer

        Exception failed = assertThrows(Exception.class, () -> channel().registerWebhook(B));
        assertMentions(failed.getMessage(), "HTTP 502");
        assertNull(api.webhook(), "the hub deleted the webhook that may have been set");
        assertEquals("polling", channel().webhookStatus().mode());
        assertMentions(channel().webhookStatus().lastError(), "HTTP 502");
        answeredByPolling("still polling?");
    }

    @Test
    void aRefusedChangeOfWebhookKeepsTheOldWebhookAndItsSecret() throws Exception {
        start(WEBHOOK_A, echo);
        api.fail("setWebhook", 400, BAD_WEBHOOK, null);

        Exception refused = assertThrows(Exception.class, () -> channel().registerWebhook(B));
        assertMentions(refused.getMessage(), BAD_WEBHOOK);
        PlatformWebhook.Status status = channel().webhookStatus();
        assertEquals(new PlatformWebhook.Status("webhook", A, true, status.lastError()), status);
        assertMentions(status.lastError(), BAD_WEBHOOK);
        answeredByWebhook(SECRET, "still there?");

        restart();
        assertEquals(A, api.webhook());
        answeredByWebhook(SECRET, "there after a restart?");
        assertTrue(api.calls("getUpdates").isEmpty(), "no polling while the webhook is set");
    }

    @Test
    void aChangeOfWebhookCutOffMidwayIsUndoneByRegisteringTheOldOneAgain() throws Exception {
        start("", echo);
        channel().registerWebhook(A);
        String secret = storedSecret();
        api.cutOffAfterApplying("setWebhook"); // Telegram switched to B, the connection broke before the answer

        Exception failed;
        try (LogCapture log = new LogCapture()) {
            failed = assertThrows(Exception.class, () -> channel().registerWebhook(B));
            for (String line : log.lines()) assertFalse(line.contains(FakeBotApi.TOKEN), "logged the token: " + line);
        }
        assertFalse(failed.getMessage().contains(FakeBotApi.TOKEN), failed.getMessage());
        assertEquals(A, api.webhook(), "the hub registered the old webhook again");
        assertEquals(secret, api.webhookSecret());
        assertEquals(
                new PlatformWebhook.Status("webhook", A, true, failed.getMessage()),
                channel().webhookStatus());
        answeredByWebhook(secret, "still there?");

        restart();
        assertEquals(A + "\n", Files.readString(dir.resolve("data/telegram-webhook.url")));
        answeredByWebhook(secret, "there after a restart?");
        assertEquals(4, api.calls("setWebhook").size(), "A, B, A again, A at the restart");
    }

    @Test
    void aRefusedDeleteWebhookKeepsTheWebhook() throws Exception {
        start("", echo);
        channel().registerWebhook(A);
        String secret = storedSecret();
        int polls = api.calls("getUpdates").size();
        api.fail("deleteWebhook", 429, "Too Many Requests: retry after 3", 3);

        Exception refused = assertThrows(Exception.class, () -> channel().unregisterWebhook());
        assertMentions(refused.getMessage(), "Too Many Requests: retry after 3");
        PlatformWebhook.Status status = channel().webhookStatus();
        assertEquals(new PlatformWebhook.Status("webhook", A, true, status.lastError()), status);
        assertMentions(status.lastError(), "Too Many Requests: retry after 3");
        answeredByWebhook(secret, "still there?");
        assertEquals(polls, api.calls("getUpdates").size(), "no polling while the webhook is set");

        restart();
        assertEquals(A, api.webhook());
        answeredByWebhook(secret, "there after a restart?");
    }

    @Test
    void aDeleteWebhookWhoseAnswerIsLostIsUndoneByRegisteringTheWebhookAgain() throws Exception {
        start(WEBHOOK_A, echo);
        api.badGateway("deleteWebhook", true);

        Exception failed = assertThrows(Exception.class, () -> channel().unregisterWebhook());
        assertMentions(failed.getMessage(), "HTTP 502");
        assertEquals(A, api.webhook(), "the hub registered the webhook again");
        assertEquals(SECRET, api.webhookSecret());
        assertEquals("webhook", channel().webhookStatus().mode());
        answeredByWebhook(SECRET, "still there?");
    }

    @Test
    void whenUndoingFailsTooTheStatusSaysTheWebhookIsNotVerified() throws Exception {
        start(WEBHOOK_A, echo);
        api.cutOffAfterApplying("setWebhook");
        api.fail("setWebhook", 500, "Internal Server Error", null);

        Exception failed = assertThrows(Exception.class, () -> channel().registerWebhook(B));
        assertMentions(failed.getMessage(), "Internal Server Error");
        PlatformWebhook.Status status = channel().webhookStatus();
        assertEquals(new PlatformWebhook.Status("webhook", A, false, failed.getMessage()), status);
        answeredByWebhook(SECRET, "anyone?"); // Telegram may still deliver to the old webhook
    }

    @Test
    void aWebhookBodyThatIsNotAnUpdateGets400AndNothingIsStored() throws Exception {
        start(WEBHOOK_A, echo);
        String message =
                api.messageOf(api.message(42, "private", 42, "bob", "no id")).toString();
        List<String> bodies = List.of(
                "null",
                "[]",
                "[{\"update_id\":1}]",
                "42",
                "\"an update\"",
                "true",
                "",
                "{",
                "{\"message\":" + message + "}",
                "{\"update_id\":null,\"message\":" + message + "}",
                "{\"update_id\":\"7\",\"message\":" + message + "}",
                "{\"update_id\":1.5,\"message\":" + message + "}",
                "{\"update_id\":7,\"message\":\"not a message\"}");
        try (LogCapture log = new LogCapture()) {
            for (String body : bodies) {
                int logged = log.events().size();
                HttpResponse<String> response = deliver(body, SECRET);
                assertEquals(400, response.statusCode(), body);
                assertMentions(json.readTree(response.body()).path("error").asText(), "update_id");
                assertTrue(
                        log.events().size() - logged <= 1, "logged more than a line for " + body + ": " + log.lines());
            }
            assertTrue(
                    log.events().stream().allMatch(e -> e.getThrowableProxy() == null),
                    log.lines().toString());
        }

        answeredByWebhook(SECRET, "a real one");
        assertEquals(1, agentCalls.get());
        assertEquals(1, hub.runtime().metrics().count(TelegramChannel.NAME, HubMetrics.INBOUND));
    }

    private void restart() throws Exception {
        HubConfig config = hub.config();
        hub.close();
        hub = null;
        hub = TestHub.start(config, echo);
    }

    private String storedSecret() throws Exception {
        return Files.readString(dir.resolve("data/telegram-webhook.secret")).strip();
    }

    private ChannelStatus.State state() {
        return hub.runtime().channels().statuses().stream()
                .filter(s -> s.name().equals(TelegramChannel.NAME))
                .findFirst()
                .orElseThrow()
                .state();
    }

    /** A message sent to the bot is fetched with getUpdates and answered. */
    private void answeredByPolling(String text) {
        api.message(42, "private", 42, "bob", text);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> sentText("Echo: " + text).size() == 1);
    }

    /** A message Telegram posts to the webhook with {@code secret} is accepted and answered. */
    private void answeredByWebhook(String secret, String text) throws Exception {
        assertEquals(200, post(webhookBody(api.message(42, "private", 42, "bob", text)), secret));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: " + text).size() == 1);
    }

    private static void assertMentions(String text, String part) {
        assertNotNull(text, "expected a text mentioning " + part);
        assertTrue(text.contains(part), text);
        assertFalse(text.contains(FakeBotApi.TOKEN), "shows the bot token: " + text);
    }
}
