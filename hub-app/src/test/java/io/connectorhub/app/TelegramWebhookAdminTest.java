package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.UrlPattern;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Telegram webhook through the admin API, with WireMock as the Bot API: a refused change leaves it as it was. */
class TelegramWebhookAdminTest {
    private static final String TOKEN = "123456:ADMIN-test-token-abcdefghijklmnop";
    private static final String SECRET = "old-webhook_secret";
    private static final String REFUSAL = "Bad Request: bad webhook: Failed to resolve host: Name or service not known";
    private static final String ROUTE = "/api/v1/channels/telegram/webhook";

    @TempDir
    Path dir;

    private WireMockServer bot;
    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        bot = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        bot.start();
        bot.stubFor(post(method("getMe"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true,\"first_name\":\"Hub\","
                        + "\"username\":\"hub_bot\"}}")));
        bot.stubFor(post(method("setWebhook")).willReturn(okJson("{\"ok\":true,\"result\":true}")));
        bot.stubFor(post(method("setWebhook"))
                .withRequestBody(containing("https://new.example.com"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"" + REFUSAL + "\"}")));
        bot.stubFor(post(method("(sendMessage|editMessageText)"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1,\"date\":1700000000,"
                        + "\"chat\":{\"id\":42,\"type\":\"private\"},\"text\":\"ok\"}}")));
        bot.stubFor(post(method("sendChatAction")).willReturn(okJson("{\"ok\":true,\"result\":true}")));
        hub = AdminHarness.start(AdminHarness.config(dir, """
                        channels:
                          websocket: {enabled: false}
                          telegram:
                            {enabled: true, token: "%s", allowFrom: ["42"], apiUrl: "http://127.0.0.1:%d",
                             mode: webhook, webhookUrl: "https://old.example.com/telegram/webhook", webhookSecret: %s}
                        """.formatted(TOKEN, bot.port(), SECRET)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        bot.stop();
    }

    @Test
    void aRefusedChangeAnswers502WithTelegramsDescriptionAndKeepsTheOldWebhook() throws Exception {
        AdminHarness.Reply refused =
                hub.call("POST", ROUTE, AdminHarness.WRITE, Map.of("url", "https://new.example.com/telegram/webhook"));
        assertEquals(502, refused.status());
        assertTrue(refused.json().get("error").asText().contains(REFUSAL), refused.body());
        assertFalse(refused.body().contains(TOKEN), refused.body());

        JsonNode telegram = telegramStatus();
        assertEquals("running", telegram.get("state").asText());
        JsonNode webhook = telegram.get("webhook");
        assertEquals("webhook", webhook.get("mode").asText());
        assertEquals(
                "https://old.example.com/telegram/webhook", webhook.get("url").asText());
        assertTrue(webhook.get("lastError").asText().contains(REFUSAL), webhook.toString());
        assertFalse(telegram.toString().contains(TOKEN), telegram.toString());

        String update = "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1700000000,"
                + "\"chat\":{\"id\":42,\"type\":\"private\"},"
                + "\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"B\"},\"text\":\"still there?\"}}";
        HttpResponse<String> delivered = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub.port() + "/telegram/webhook"))
                                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                                .POST(HttpRequest.BodyPublishers.ofString(update))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delivered.statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !bot.findAll(postRequestedFor(method("(sendMessage|editMessageText)"))
                                .withRequestBody(containing("You said: still there?")))
                        .isEmpty());
    }

    /** The URL of the Bot API methods {@code name} matches (the client spells method names in lower case). */
    private static UrlPattern method(String name) {
        return urlPathMatching("(?i)/bot" + Pattern.quote(TOKEN) + "/" + name);
    }

    private JsonNode telegramStatus() throws Exception {
        for (JsonNode c : hub.ok("GET", "/api/v1/status", null).get("channels"))
            if (c.get("name").asText().equals("telegram")) return c;
        throw new AssertionError("no telegram channel in the status");
    }
}
