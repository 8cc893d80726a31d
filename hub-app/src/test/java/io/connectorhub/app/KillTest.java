package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.core.ChatMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub process killed with SIGKILL in the middle of a burst loses no message and answers none twice. */
class KillTest {
    private static final String TOKEN = "kill-test-token-0123456789";
    private static final int MESSAGES = 60;

    @TempDir
    Path dir;

    @Test
    void aKilledHubLosesNothingAndAnswersNothingTwice() throws Exception {
        int port = HubProcess.freePort();
        Path file = HubProcess.config(dir, port, """
                channels:
                  websocket:
                    token: %s
                    rateLimitPerMinute: 100000
                """.formatted(TOKEN));
        Process child = HubProcess.start(file, dir.resolve("child.log"), Map.of());
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> HubProcess.healthy(port));
            try (WsTestClient c = WsTestClient.authorized(port, TOKEN)) {
                for (int i = 0; i < MESSAGES; i++) {
                    c.request("chat.send", Map.of("text", "message " + i, "idempotency_key", "k" + i));
                }
                c.result("health", Map.of()); // every request has been read by the hub
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor();
        }

        // A new hub on the same data: resending every message with its key yields exactly one answer each.
        try (Hub hub = Hub.start(new ConfigLoader(Map.of()).load(file), Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), TOKEN)) {
            Set<String> replyIds = new HashSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode reply = c.result("chat.send", Map.of("text", "message " + i, "idempotency_key", "k" + i));
                replyIds.add(reply.get("message_id").asText());
            }
            assertEquals(MESSAGES, replyIds.size());
            List<ChatMessage> history = hub.runtime().sessions().history("websocket:main", 1000);
            assertEquals(2 * MESSAGES, history.size(), "each message answered exactly once");
            Set<String> asked = new HashSet<>();
            for (ChatMessage m : history) if (m.role().equals(ChatMessage.USER)) asked.add(m.content());
            assertEquals(MESSAGES, asked.size());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> hub.runtime().outbox().unsent(10).isEmpty());
        }
    }
}
