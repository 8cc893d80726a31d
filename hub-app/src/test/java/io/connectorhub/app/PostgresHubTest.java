package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.PostgresServer;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The assembled hub with {@code store.url} set: every table and generated secret on PostgreSQL. */
@ExtendWith(TestPostgres.class)
class PostgresHubTest {
    private static final String BOT_TOKEN = "123456:PG-test-token-abcdefghijklmnop";

    @TempDir
    Path dir;

    private TestDatabase database;
    private TestStore store;

    @BeforeEach
    void database(TestDatabase database) {
        this.database = database;
        this.store = new TestStore("postgresql", dir, database);
    }

    /** The configuration of an instance with its own data directory; the database comes from HUB_STORE_URL. */
    private HubConfig config(String instance, String extra) throws Exception {
        return InstanceConfig.load(dir, instance, store.storeUrl(), """
                webhooks:
                  allowPrivateTargets: true
                %s
                """.formatted(extra));
    }

    private String secret(String name) {
        return StoredSecrets.read(store.url(), name).orElseThrow();
    }

    private List<String> column(String sql) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (r.next()) values.add(r.getString(1));
            return values;
        }
    }

    @Test
    void keepsConversationsIdempotencyKeysAndGeneratedTokensInTheDatabaseAcrossInstances() throws Exception {
        String first;
        try (Hub hub = Hub.start(config("a", ""), Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), secret("websocket.token"))) {
            first = c.result("chat.send", Map.of("text", "before restart", "idempotency_key", "k1"))
                    .get("text")
                    .asText();
        }
        assertFalse(Files.exists(dir.resolve("a/hub.db")), "no SQLite database beside PostgreSQL");
        assertFalse(Files.exists(dir.resolve("a/websocket.token")), "the generated token is in the database");
        assertTrue(Files.exists(dir.resolve("a/instance-id")), "the instance's own id stays in its directory");

        // Another data directory (another instance id), the same database: the same token, history and keys.
        try (Hub hub = Hub.start(config("b", ""), Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), secret("websocket.token"))) {
            JsonNode repeat = c.result("chat.send", Map.of("text", "before restart", "idempotency_key", "k1"));
            assertEquals(first, repeat.get("text").asText(), "the stored reply, not a new answer");
            JsonNode reply = c.result("chat.send", Map.of("text", "after restart"));
            assertTrue(reply.get("text").asText().contains("(message 2 in this conversation)"), reply.toString());
            List<String> texts =
                    c.result("chat.history", Map.of()).get("messages").findValuesAsText("text");
            assertEquals(List.of("before restart", first, "after restart"), texts.subList(0, 3));
        }
        assertEquals(List.of("2"), column("SELECT count(*) FROM inbox WHERE state = 'done'"));
    }

    @Test
    void deliversAWebhookEventFromAHubOnPostgres() throws Exception {
        WireMockServer receiver =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        try (Hub hub = Hub.start(config("a", ""), Clock.systemUTC())) {
            receiver.stubFor(post("/events").willReturn(ok()));
            HttpResponse<String> created = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/webhooks"))
                                    .header("Authorization", "Bearer " + secret("admin.token"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:"
                                            + receiver.port() + "/events\",\"events\":[\"message.inbound\"]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            try (WsTestClient c = WsTestClient.authorized(hub.port(), secret("websocket.token"))) {
                c.result("chat.send", Map.of("text", "tell the webhook"));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !receiver.findAll(postRequestedFor(urlEqualTo("/events"))
                                    .withRequestBody(containing("tell the webhook")))
                            .isEmpty());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> column("SELECT state FROM webhook_deliveries").equals(List.of("delivered")));
        } finally {
            receiver.stop();
        }
    }

    @Test
    void answersTelegramThroughItsBotApiWithTheGeneratedWebhookSecretAndItsOwnTableOnPostgres() throws Exception {
        WireMockServer bot = TelegramBotStub.start(BOT_TOKEN, 42, 1);
        String telegram = """
                channels:
                  telegram:
                    {enabled: true, token: "%s", allowFrom: ["42"], apiUrl: "http://127.0.0.1:%d",
                     mode: webhook, webhookUrl: "https://hub.example.com/telegram/webhook"}
                """.formatted(BOT_TOKEN, bot.port());
        try (Hub hub = Hub.start(config("a", telegram), Clock.systemUTC())) {
            String secret = secret("telegram-webhook.secret");
            assertFalse(bot.findAll(postRequestedFor(TelegramBotStub.method(BOT_TOKEN, "setWebhook"))
                            .withRequestBody(containing(secret)))
                    .isEmpty());
            String update = "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1700000000,"
                    + "\"chat\":{\"id\":42,\"type\":\"private\"},"
                    + "\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"B\"},\"text\":\"on postgres?\"}}";
            HttpResponse<String> delivered = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/telegram/webhook"))
                                    .header("X-Telegram-Bot-Api-Secret-Token", secret)
                                    .POST(HttpRequest.BodyPublishers.ofString(update))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, delivered.statusCode());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !bot.findAll(
                                    postRequestedFor(TelegramBotStub.method(BOT_TOKEN, "(sendMessage|editMessageText)"))
                                            .withRequestBody(containing("You said: on postgres?")))
                            .isEmpty());
            assertEquals(
                    List.of("telegram_reply_progress"),
                    column("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'telegram_%'"));
            assertEquals(
                    List.of("1"), column("SELECT version FROM flyway_telegram_history WHERE success AND type = 'SQL'"));
        } finally {
            bot.stop();
        }
    }

    @Test
    void recoversFromAFewSecondsWithoutTheDatabaseWithoutARestartAndLosesNothing(PostgresServer server)
            throws Exception {
        try (Hub hub = Hub.start(config("a", ""), Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), secret("websocket.token"))) {
            c.result("chat.send", Map.of("text", "before the outage"));
            server.stop();
            CompletableFuture<JsonNode> during =
                    CompletableFuture.supplyAsync(() -> c.result("chat.send", Map.of("text", "during the outage")));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> !during.isDone());
            server.start();
            JsonNode reply = during.get(60, TimeUnit.SECONDS);
            assertTrue(reply.get("text").asText().startsWith("You said: during the outage"), reply.toString());
            JsonNode after = c.result("chat.send", Map.of("text", "after the outage"));
            assertTrue(after.get("text").asText().contains("(message 3 in this conversation)"), after.toString());
        }
        assertEquals(List.of("3"), column("SELECT count(*) FROM inbox WHERE state = 'done'"));
    }
}
