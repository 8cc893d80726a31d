import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.app.Hub;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes hub-before-flyway.db.gz, the database UpgradeFromSchemaVersionTest upgrades, with the hub of the release
 * before Flyway (its schema_version table), through the hub's own routes: a WebSocket conversation with an
 * idempotency key, a Telegram reply left pending after its first part (Telegram refused the second), its delivery
 * progress, an outbound webhook endpoint and a gateway. Run it against that release's build (see the test's comment);
 * it prints the values the test expects.
 */
public class MakeFixture {
    static final Instant MADE_AT = Instant.parse("2026-11-30T10:00:00Z");
    static final String TELEGRAM_TOKEN = "123456:UPGRADE-test-token-abcdefghijkl";
    static final String WS_TOKEN = "ws-upgrade-token-0123456789";
    static final String ADMIN = "admin-upgrade-token-0123456789";
    static final String SECRET = "upgrade-webhook_secret";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Path dir = Files.createTempDirectory("hub-fixture");
        WireMockServer bot = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        bot.start();
        String method = "(?i)/bot" + java.util.regex.Pattern.quote(TELEGRAM_TOKEN) + "/";
        bot.stubFor(post(urlPathMatching(method + "getMe"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"id\":999,\"is_bot\":true,\"first_name\":\"Hub\","
                        + "\"username\":\"hub_bot\"}}")));
        bot.stubFor(post(urlPathMatching(method + "(setWebhook|sendChatAction)"))
                .willReturn(okJson("{\"ok\":true,\"result\":true}")));
        bot.stubFor(post(urlPathMatching(method + "(sendMessage|editMessageText)"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1,\"date\":1700000000,"
                        + "\"chat\":{\"id\":42,\"type\":\"private\"},\"text\":\"ok\"}}")));
        bot.stubFor(post(urlPathMatching(method + "sendMessage"))
                .withRequestBody(containing("PART-TWO"))
                .willReturn(serverError()));

        Path yaml = dir.resolve("hub.yaml");
        Files.writeString(yaml, """
                server: {port: 0}
                store: {dataDir: %s}
                admin:
                  tokens: [{token: %s, scopes: [admin.read, admin.write]}]
                webhooks: {allowPrivateTargets: true}
                gateways: {allowPrivateTargets: true}
                channels:
                  websocket: {enabled: true, token: %s}
                  telegram:
                    {enabled: true, token: "%s", allowFrom: ["42"], apiUrl: "http://127.0.0.1:%d",
                     mode: webhook, webhookUrl: "https://hub.example.com/telegram/webhook", webhookSecret: %s}
                """.formatted(dir.resolve("data"), ADMIN, WS_TOKEN, TELEGRAM_TOKEN, bot.port(), SECRET));
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), MADE_AT));
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(yaml), clock)) {
            String base = "http://127.0.0.1:" + hub.port();
            try (WsTestClient ws = WsTestClient.authorized(hub.port(), WS_TOKEN)) {
                JsonNode first = ws.result(
                        "chat.send",
                        Map.of("text", "hello before the upgrade", "session_key", "upgrade", "idempotency_key", "key-1"));
                JsonNode second = ws.result("chat.send", Map.of("text", "and a second one", "session_key", "upgrade"));
                System.out.println("key-1 reply: " + first);
                System.out.println("second reply: " + second);
            }

            String text = "first ".repeat(680) + "PART-TWO";
            String update = "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1700000000,"
                    + "\"chat\":{\"id\":42,\"type\":\"private\"},"
                    + "\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"B\"},\"text\":\"" + text + "\"}}";
            HttpResponse<String> accepted = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/telegram/webhook"))
                            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                            .POST(HttpRequest.BodyPublishers.ofString(update))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 200) throw new IllegalStateException("update: " + accepted.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (bot.findAll(postRequestedFor(urlPathMatching(method + "sendMessage"))
                            .withRequestBody(containing("PART-TWO")))
                    .isEmpty()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("part two was never sent");
                Thread.sleep(50);
            }

            JsonNode webhook = json.readTree(admin(http, base, "/api/v1/webhooks", """
                    {"url": "http://127.0.0.1:9/events", "events": ["message.inbound", "message.outbound"], "description": "made before Flyway"}"""));
            System.out.println("webhook: " + webhook);
            System.out.println("gateway: " + admin(http, base, "/api/v1/gateways", """
                    {"name": "far", "url": "http://127.0.0.1:9/far", "token": "gateway-upgrade-token-0123", "weight": 2}"""));
        }
        bot.stop();
        Path db = dir.resolve("data/hub.db");
        if (Files.exists(Path.of(db + "-wal"))) throw new IllegalStateException("the WAL was not checkpointed");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out))) {
            Files.copy(db, gz);
        }
        System.out.println("wrote " + out);
    }

    private static String admin(HttpClient http, String base, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + ADMIN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }
}
