package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreInbox;
import io.connectorhub.core.internal.store.StoreSessions;
import io.connectorhub.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an outage, a message or reply the hub stored longer than {@code recovery.maxMessageAge} / {@code maxReplyAge}
 * (1h by default) ago is marked expired, counted in the stats and refused to a client repeating it, not answered or
 * sent; a younger one goes out as before.
 */
class RecoveryExpiryTest {
    private static final String TOKEN = "recovery-test-token-0123456789";
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    private HubConfig config() throws Exception {
        return AdminHarness.config(dir, "channels:\n  websocket:\n    token: " + TOKEN + "\n");
    }

    private static InboundMessage message(String key, String text) {
        return InboundMessage.builder("websocket", "k:main:" + key)
                .sender("ws-client")
                .chat("main")
                .content(text)
                .build();
    }

    @Test
    void expiresWhatWaitedLongerThanTheLimitAcrossARestartAndSendsTheRest() throws Exception {
        HubConfig config = config();
        // What an outage leaves: a message stored just over an hour before the restart and one just under; and a
        // reply to each of two answered messages, stored just over and just under an hour before, never sent.
        try (Store store = Store.open(dir.resolve("data/hub.db"))) {
            StoreInbox inbox = new StoreInbox(store, "stopped-instance", clock);
            StoreSessions sessions = new StoreSessions(store, clock);
            InboundMessage answeredOld = message("answered-old", "answered long ago");
            inbox.admit(message("old", "too old to answer"));
            inbox.admit(answeredOld);
            sessions.completeTurn(answeredOld, OutboundMessage.replyTo(answeredOld, "reply-old", "stale reply"), true);
            clock.advance(Duration.ofSeconds(2));
            InboundMessage answeredFresh = message("answered-fresh", "answered recently");
            inbox.admit(message("fresh", "young enough"));
            inbox.admit(answeredFresh);
            sessions.completeTurn(
                    answeredFresh, OutboundMessage.replyTo(answeredFresh, "reply-fresh", "fresh reply"), true);
        }
        clock.advance(Duration.ofHours(1).minusSeconds(1)); // old: 1h 1s ago; fresh: 59m 59s ago

        try (AdminHarness admin = AdminHarness.start(config, clock)) {
            HubRuntime runtime = admin.hub.runtime();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> texts(runtime).contains("young enough")
                            && "sent".equals(outboxState(runtime, "reply-fresh")));
            assertFalse(
                    texts(runtime).contains("too old to answer"), texts(runtime).toString());
            assertEquals("expired", inboxState(runtime, "k:main:old"));
            assertEquals("done", inboxState(runtime, "k:main:fresh"));
            assertEquals("expired", outboxState(runtime, "reply-old"));

            JsonNode stats = admin.ok("GET", "/api/v1/stats", null);
            assertEquals(2, stats.at("/channels/websocket/expired").asInt(), stats.toString());

            try (WsTestClient c = WsTestClient.authorized(admin.hub.port(), TOKEN)) {
                JsonNode refused = c.call("chat.send", Map.of("text", "too old to answer", "idempotency_key", "old"));
                assertEquals(-32005, refused.at("/error/code").asInt(), refused.toString());
                assertEquals(
                        "this message expired before it was answered (older than recovery.maxMessageAge); "
                                + "send it again with a new idempotency_key",
                        refused.at("/error/message").asText());
                JsonNode answered = c.result("chat.send", Map.of("text", "young enough", "idempotency_key", "fresh"));
                assertTrue(answered.get("text").asText().contains("young enough"), answered.toString());
            }
        }
    }

    private static List<String> texts(HubRuntime runtime) {
        return runtime.sessions().history("websocket:main", 20).stream()
                .map(ChatMessage::content)
                .toList();
    }

    private static String inboxState(HubRuntime runtime, String id) {
        return state(runtime, "SELECT state FROM inbox WHERE message_id = ?", id);
    }

    private static String outboxState(HubRuntime runtime, String id) {
        return state(runtime, "SELECT state FROM outbox WHERE id = ?", id);
    }

    private static String state(HubRuntime runtime, String query, String id) {
        return runtime.store()
                .read(h -> h.createQuery(query).bind(0, id).mapTo(String.class).one());
    }
}
