package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.connectorhub.app.webhooks.WebhookSignature;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.testing.MutableClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the release before Flyway (with its {@code schema_version} table) is upgraded in place on the
 * first start, with nothing lost, and a second start migrates nothing.
 *
 * <p>How the fixture was made: {@code upgrade/hub-before-flyway.db.gz} (test resources) is the {@code hub.db} that
 * {@code upgrade/MakeFixture.java}, beside it, wrote through the hub's own routes when run against the build of
 * commit 657f9df, the last one with {@code schema_version}. To make it again:
 *
 * <pre>
 * git worktree add /tmp/before-flyway 657f9df &amp;&amp; cd /tmp/before-flyway
 * ./mvnw -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp "hub-app/target/test-classes:hub-app/target/classes:$(cat hub-app/target/cp.txt)" \
 *     $REPO/hub-app/src/test/resources/upgrade/MakeFixture.java \
 *     $REPO/hub-app/src/test/resources/upgrade/hub-before-flyway.db.gz
 * </pre>
 *
 * then copy what it prints (the message and webhook ids, the webhook secret) into the constants below. Its clock
 * starts at {@link #MADE_AT}; this test's clock runs a few minutes later, so nothing is old enough to expire or be
 * pruned.
 */
class UpgradeFromSchemaVersionTest {
    private static final Instant MADE_AT = Instant.parse("2026-11-30T10:00:00Z");
    private static final String TELEGRAM_TOKEN = "123456:UPGRADE-test-token-abcdefghijkl";
    private static final String WS_TOKEN = "ws-upgrade-token-0123456789";
    private static final String KEY_1_REPLY_ID = "b01a2faa-b3cb-4a74-aef5-42e6497444c4";
    private static final String WEBHOOK_ID = "wh_mkSM7SRFN-yTsajK";
    private static final String WEBHOOK_SECRET = "whsec_e0NmVLWTb2Zpj90XA3evVii/g/JOj/6ZIXVxOOwDe8Y=";
    private static final List<String> MODULES = List.of("agents", "core", "telegram", "webhooks");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(MADE_AT.plus(Duration.ofMinutes(5)));
    private WireMockServer bot;
    private WireMockServer receiver;
    private HubConfig config;
    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        Path db = dir.resolve("data/hub.db");
        Files.createDirectories(db.getParent());
        try (InputStream fixture = new GZIPInputStream(
                getClass().getClassLoader().getResourceAsStream("upgrade/hub-before-flyway.db.gz"))) {
            Files.copy(fixture, db);
        }
        receiver = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        receiver.stubFor(post("/events").willReturn(ok()));
        // The receiver listens on another port than when the fixture was made: point the endpoint at it.
        Jdbi.create("jdbc:sqlite:" + db)
                .useHandle(h -> h.createUpdate("UPDATE webhook_endpoints SET url = :url WHERE id = :id")
                        .bind("url", "http://127.0.0.1:" + receiver.port() + "/events")
                        .bind("id", WEBHOOK_ID)
                        .execute());
        bot = TelegramBotStub.start(TELEGRAM_TOKEN, 42, 2);
        config = AdminHarness.config(dir, """
                webhooks: {allowPrivateTargets: true}
                gateways: {allowPrivateTargets: true}
                channels:
                  websocket: {enabled: true, token: %s}
                  telegram:
                    {enabled: true, token: "%s", allowFrom: ["42"], apiUrl: "http://127.0.0.1:%d",
                     mode: webhook, webhookUrl: "https://hub.example.com/telegram/webhook", webhookSecret: upgrade-secret}
                """.formatted(WS_TOKEN, TELEGRAM_TOKEN, bot.port()));
        hub = AdminHarness.start(config, clock);
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
        bot.stop();
        receiver.stop();
    }

    private static List<String> texts(JsonNode history) {
        List<String> texts = new ArrayList<>();
        for (JsonNode m : history.get("messages"))
            texts.add(m.get("role").asText() + ": " + m.get("text").asText());
        return texts;
    }

    @Test
    void keepsTheHistoryAndAnswersARepeatedIdempotencyKeyWithTheStoredReply() {
        List<String> before = List.of(
                "user: hello before the upgrade",
                "assistant: You said: hello before the upgrade\n(message 1 in this conversation)",
                "user: and a second one",
                "assistant: You said: and a second one\n(message 2 in this conversation)");
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), WS_TOKEN)) {
            assertEquals(before, texts(ws.result("chat.history", Map.of("session_key", "upgrade"))));

            JsonNode repeated = ws.result(
                    "chat.send",
                    Map.of("text", "hello before the upgrade", "session_key", "upgrade", "idempotency_key", "key-1"));
            assertEquals(KEY_1_REPLY_ID, repeated.get("message_id").asText());
            assertEquals(
                    "You said: hello before the upgrade\n(message 1 in this conversation)",
                    repeated.get("text").asText());
            assertEquals(
                    before,
                    texts(ws.result("chat.history", Map.of("session_key", "upgrade"))),
                    "the agent did not run again");

            JsonNode next = ws.result("chat.send", Map.of("text", "after the upgrade", "session_key", "upgrade"));
            assertEquals(
                    "You said: after the upgrade\n(message 3 in this conversation)",
                    next.get("text").asText());
        }
    }

    @Test
    void sendsTheReplyLeftPendingFromThePartWhereItsDeliveryStopped() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !bot.findAll(postRequestedFor(TelegramBotStub.method(TELEGRAM_TOKEN, "sendMessage"))
                                .withRequestBody(containing("PART-TWO")))
                        .isEmpty());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hub.hub
                        .runtime()
                        .state("telegram")
                        .read(h -> h.createQuery("SELECT count(*) FROM telegram_reply_progress")
                                .mapTo(Integer.class)
                                .one())
                        .equals(0));
        assertTrue(
                bot.findAll(postRequestedFor(TelegramBotStub.method(TELEGRAM_TOKEN, "(sendMessage|editMessageText)"))
                                .withRequestBody(containing("You said: first")))
                        .isEmpty(),
                "the first part, delivered before the upgrade, is not sent again");
    }

    @Test
    void keepsWebhookEndpointsSigningWithTheirSecret() throws Exception {
        hub.ok("POST", "/api/v1/webhooks/" + WEBHOOK_ID + "/test", null);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !receiver.findAll(postRequestedFor(urlEqualTo("/events")))
                        .isEmpty());
        LoggedRequest delivery =
                receiver.findAll(postRequestedFor(urlEqualTo("/events"))).getFirst();
        assertTrue(
                WebhookSignature.verify(
                        WEBHOOK_SECRET,
                        delivery.getHeader("webhook-id"),
                        delivery.getHeader("webhook-timestamp"),
                        delivery.getHeader("webhook-signature"),
                        delivery.getBodyAsString(),
                        clock.instant()),
                delivery.getHeader("webhook-signature"));
        JsonNode endpoint = hub.ok("GET", "/api/v1/webhooks/" + WEBHOOK_ID, null);
        assertEquals("made before Flyway", endpoint.get("description").asText());
    }

    @Test
    void keepsTheRegisteredGateways() throws Exception {
        JsonNode gateways = hub.ok("GET", "/api/v1/gateways", null).get("gateways");

        assertEquals(1, gateways.size(), gateways.toString());
        assertEquals("far", gateways.get(0).get("name").asText());
        assertEquals("http://127.0.0.1:9/far", gateways.get(0).get("url").asText());
        assertEquals(2, gateways.get(0).get("weight").asInt());
    }

    private Map<String, List<String>> histories() {
        Map<String, List<String>> all = new java.util.TreeMap<>();
        for (String module : MODULES) {
            all.put(
                    module,
                    hub.hub
                            .runtime()
                            .state(module)
                            .read(h -> h.createQuery("SELECT version || ':' || type || ':' || success FROM flyway_"
                                            + module + "_history ORDER BY installed_rank")
                                    .mapTo(String.class)
                                    .list()));
        }
        return all;
    }

    @Test
    void baselinesEachModuleAtItsOldVersionAndASecondStartMigratesNothing() throws Exception {
        Map<String, List<String>> baselined = Map.of(
                "agents", List.of("1:BASELINE:1"),
                "core",
                        List.of(
                                "1:BASELINE:1",
                                "2:SQL:1",
                                "3:SQL:1",
                                "4:SQL:1",
                                "5:SQL:1",
                                "6:SQL:1",
                                "7:SQL:1"), // baselined, then the later scripts run
                "telegram", List.of("1:BASELINE:1"),
                "webhooks", List.of("1:BASELINE:1"));
        assertEquals(baselined, histories());

        hub.close();
        hub = AdminHarness.start(config, clock);

        assertEquals(baselined, histories());
        assertEquals(
                List.of("agents:1", "core:1", "telegram:1", "webhooks:1"),
                hub.hub
                        .runtime()
                        .state("core")
                        .read(h -> h.createQuery(
                                        "SELECT component || ':' || version FROM schema_version ORDER BY component")
                                .mapTo(String.class)
                                .list()),
                "schema_version is left as it was");
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), WS_TOKEN)) {
            assertEquals(
                    4,
                    ws.result("chat.history", Map.of("session_key", "upgrade"))
                            .get("messages")
                            .size());
        }
    }
}
