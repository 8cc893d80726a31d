package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreInbox;
import io.connectorhub.core.internal.store.StoreSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled hub, as {@code ./hub run} starts it: real SQLite, real sockets, the built-in agent. */
class HubEndToEndTest {
    @TempDir
    Path dir;

    private HubConfig config(String extra) throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, "server:\n  port: 0\nstore:\n  dataDir: " + dir.resolve("data") + "\n" + extra);
        return new ConfigLoader(Map.of()).load(file);
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return new ObjectMapper().readTree(response.body());
    }

    private String generatedToken() throws Exception {
        return Files.readString(dir.resolve("data/websocket.token")).strip();
    }

    @Test
    void startsWithDefaultsAndAGeneratedTokenThatOpensTheWebSocket() throws Exception {
        try (Hub hub = Hub.start(config(""), Clock.systemUTC())) {
            JsonNode health = get(hub.port(), "/health");
            assertEquals("ok", health.get("status").asText());
            assertEquals("running", health.get("channels").get("websocket").asText());
            try (WsTestClient c = WsTestClient.authorized(hub.port(), generatedToken())) {
                assertTrue(c.result("chat.send", Map.of("text", "hello"))
                        .get("text")
                        .asText()
                        .startsWith("You said: hello"));
            }
        }
    }

    @Test
    void keepsHistoryAcrossARestart() throws Exception {
        HubConfig config = config("");
        try (Hub hub = Hub.start(config, Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), generatedToken())) {
            c.result("chat.send", Map.of("text", "before restart"));
        }
        try (Hub hub = Hub.start(config, Clock.systemUTC());
                WsTestClient c = WsTestClient.authorized(hub.port(), generatedToken())) {
            JsonNode reply = c.result("chat.send", Map.of("text", "after restart"));
            assertTrue(reply.get("text").asText().contains("(message 2 in this conversation)"), reply.toString());
            List<String> texts =
                    c.result("chat.history", Map.of()).get("messages").findValuesAsText("text");
            assertEquals("before restart", texts.get(0));
            assertEquals("after restart", texts.get(2));
        }
    }

    @Test
    void answersWhatAStoppedProcessLeftInTheInboxAndOutbox() throws Exception {
        HubConfig config = config("");
        Path data = dir.resolve("data");
        try (Hub hub = Hub.start(config, Clock.systemUTC())) {
            // only to create the data directory and this instance's id
        }
        String instance = Files.readString(data.resolve("instance-id")).strip();
        Store store = Store.open(data.resolve("hub.db"));
        StoreInbox inbox = new StoreInbox(store, instance, Clock.systemUTC());
        StoreSessions sessions = new StoreSessions(store, Clock.systemUTC());
        // What kill -9 leaves: one message stored but never taken, one taken but never finished ...
        InboundMessage waiting = InboundMessage.builder("websocket", "left-1")
                .sender("ws-client")
                .chat("main")
                .content("stored only")
                .build();
        InboundMessage inFlight = InboundMessage.builder("websocket", "left-2")
                .sender("ws-client")
                .chat("main")
                .content("was processing")
                .build();
        inbox.admit(waiting);
        inbox.admit(inFlight);
        inbox.claim(inFlight, Duration.ofHours(1));
        // ... and one answered whose reply was stored but not sent.
        InboundMessage answered = InboundMessage.builder("websocket", "left-3")
                .sender("ws-client")
                .chat("other")
                .content("answered")
                .build();
        inbox.admit(answered);
        sessions.completeTurn(answered, OutboundMessage.replyTo(answered, "reply-3", "stored reply"), true);

        try (Hub hub = Hub.start(config, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sessions.history("websocket:main", 10).size() == 4);
            List<String> texts = sessions.history("websocket:main", 10).stream()
                    .map(ChatMessage::content)
                    .toList();
            assertTrue(texts.contains("stored only") && texts.contains("was processing"), texts.toString());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> hub.runtime().outbox().unsent(10).isEmpty());
            assertTrue(inbox.unfinished(10).isEmpty());
        }
    }
}
