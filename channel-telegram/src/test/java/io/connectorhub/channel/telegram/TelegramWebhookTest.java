package io.connectorhub.channel.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.PlatformWebhook;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Webhook mode, and moving the bot between polling and a webhook. */
class TelegramWebhookTest extends TelegramHubTest {
    private static final String SECRET = "the-right_secret";
    private static final String WEBHOOK_A = """
            mode: webhook
            webhookUrl: https://a.example.com/telegram/webhook
            webhookSecret: %s
            """.formatted(SECRET);

    @Test
    void theWebhookAcceptsOnlyTheRightSecretAndAnswersAfterStoring() throws Exception {
        start("""
                mode: webhook
                webhookUrl: https://bot.example.com/telegram/webhook
                webhookSecret: the-right_secret
                """, echo);
        FakeBotApi.Call registration = api.calls("setWebhook").getFirst();
        assertEquals(
                "https://bot.example.com/telegram/webhook",
                registration.params().get("url").asText());
        assertEquals(
                "the-right_secret", registration.params().get("secret_token").asText());

        String body = webhookBody(api.message(42, "private", 42, "bob", "via webhook"));
        assertEquals(401, post(body, null));
        assertEquals(401, post(body, "the-wrong-secret"));
        assertEquals(0, hub.runtime().inbox().unfinished(10).size());
        assertEquals(200, post(body, "the-right_secret"));
        assertEquals(200, post(body, "the-right_secret"));

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

        webhook.registerWebhook("https://hub.example.org/telegram/webhook");
        String secret =
                api.calls("setWebhook").getFirst().params().get("secret_token").asText();
        assertEquals(
                secret,
                Files.readString(dir.resolve("data/telegram-webhook.secret")).strip());
        assertEquals("webhook", webhook.webhookStatus().mode());
        assertEquals(
                "https://hub.example.org/telegram/webhook",
                webhook.webhookStatus().url());
        String body = webhookBody(api.message(42, "private", 42, "bob", "pushed"));
        assertEquals(200, post(body, secret));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentText("Echo: pushed").size() == 1);

        webhook.unregisterWebhook();
        assertEquals(1, api.calls("deleteWebhook").size());
        assertEquals("polling", webhook.webhookStatus().mode());
        assertEquals(401, post(body, secret));
        int polls = api.calls("getUpdates").size();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.calls("getUpdates").size() > polls);
        assertNotNull(webhook.webhookStatus());
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
