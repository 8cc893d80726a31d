package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hubs on one PostgreSQL database: a reply, streamed pieces included, reaches the WebSocket clients waiting for it on
 * another instance than the one that answered, and the unsent replies of an instance that died or stopped are sent by
 * another one.
 */
@ExtendWith(TestPostgres.class)
class ReplyRoutingTest {
    @TempDir
    Path dir;

    private TestStore store;
    private TestDatabase database;
    private final WireMockServer llm =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private final List<AutoCloseable> open = new ArrayList<>();

    /** The LLM streams "Hello" and " there"; its first answer comes after {@code firstDelayMillis}, later ones at once. */
    private void llmAnswers(int firstDelayMillis) {
        String sse = """
                data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}

                data: {"choices":[{"index":0,"delta":{"content":" there"}}]}

                data: [DONE]

                """;
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)
                        .withFixedDelay(firstDelayMillis)));
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("llm")
                .whenScenarioStateIs("asked")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse)));
    }

    @BeforeEach
    void start(TestDatabase database) {
        this.database = database;
        this.store = new TestStore("postgresql", dir, database);
        llm.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        llm.stop();
    }

    private Hub hub(String instance, String extra) throws Exception {
        HubConfig config = InstanceConfig.load(dir, instance, store.storeUrl(), """
                agents:
                  gpt: {type: openai, baseUrl: "%s/v1", model: test-model, maxRetries: 0, timeout: 60s}
                routing:
                  defaultAgent: gpt
                %s
                """.formatted(llm.baseUrl(), extra));
        Hub hub = Hub.start(config, Clock.systemUTC());
        open.add(hub);
        return hub;
    }

    private WsTestClient client(Hub hub) {
        WsTestClient c = WsTestClient.authorized(
                hub.port(), StoredSecrets.read(store.url(), "websocket.token").orElseThrow());
        open.add(c);
        return c;
    }

    private List<String> column(String sql) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (r.next()) values.add(r.getString(1));
            return values;
        }
    }

    private int llmCalls() {
        return llm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).size();
    }

    private static List<JsonNode> deltas(WsTestClient client, int requestId) {
        return client.events().stream()
                .filter(e -> e.get("params").get("type").asText().equals("chat.delta"))
                .filter(e -> e.get("params").get("request_id").asInt() == requestId)
                .toList();
    }

    /** The next {@code chat.message} event {@code client} receives. */
    private static JsonNode nextMessageEvent(WsTestClient client) {
        while (true) {
            JsonNode frame = client.next();
            if (frame.has("method") && frame.get("params").get("type").asText().equals("chat.message"))
                return frame.get("params");
        }
    }

    @Test
    void aClientOfTheSessionOnAnotherInstanceGetsTheReplyAndItsStreamedPiecesLive() throws Exception {
        llmAnswers(3_000);
        Hub a = hub("a", "");
        Hub b = hub("b", "");
        Map<String, String> ask = Map.of("text", "hi", "session_key", "s", "idempotency_key", "k1");
        WsTestClient onA = client(a);
        int asked = onA.request("chat.send_stream", ask);
        await().atMost(Duration.ofSeconds(20)).until(() -> llmCalls() == 1); // a admitted it, so a answers it

        WsTestClient onB = client(b);
        int askedAgain = onB.request("chat.send_stream", ask); // the same message, still being answered on a
        JsonNode onBReply = onB.response(askedAgain);

        assertEquals("Hello there", onBReply.get("result").get("text").asText(), onBReply.toString());
        assertFalse(deltas(onB, askedAgain).isEmpty(), "streamed pieces reach b's client: " + onB.events());
        JsonNode onAReply = onA.response(asked);
        assertEquals(
                onAReply.get("result").get("message_id"), onBReply.get("result").get("message_id"), "one reply");
        assertEquals(1, llmCalls(), "answered once");
        assertEquals(List.of("1"), column("SELECT count(*) FROM outbox"));
    }

    @Test
    void aReplyFromTheInstanceThatTookOverReachesTheClientThatAskedAgainOnAnotherInstance() throws Exception {
        llmAnswers(12_000); // a is still asking when it dies
        String fast = "cluster: {heartbeat: 1s, deadAfter: 3s}";
        Hub a = hub("a", fast);
        Hub b = hub("b", "cluster: {heartbeat: 60s, deadAfter: 120s}"); // beats too rarely to be the one taking over
        hub("c", fast);
        Map<String, String> ask = Map.of("text", "hi", "session_key", "s", "idempotency_key", "k1");
        WsTestClient onA = client(a);
        onA.request("chat.send", ask);
        await().atMost(Duration.ofSeconds(20)).until(() -> llmCalls() == 1);

        onA.close(); // its client goes away, and a dies: nothing it does reaches the database any more
        a.runtime().store().close();
        WsTestClient onB = client(b);
        int askedAgain = onB.request("chat.send", ask);
        JsonNode reply = onB.response(askedAgain);

        assertEquals("Hello there", reply.get("result").get("text").asText(), reply.toString());
        assertEquals(List.of("1"), column("SELECT count(*) FROM outbox"), "one reply");
        assertEquals(List.of("done"), column("SELECT state FROM inbox"));
        JsonNode history = onB.result("chat.history", Map.of("session_key", "s"));
        assertEquals("Hello there", history.get("messages").get(1).get("text").asText(), history.toString());
    }

    @Test
    void sendsOnceTheReplyAnInstanceThatStoppedBeatingStoredButHadNotSent() throws Exception {
        llmAnswers(0);
        String fast = "cluster: {heartbeat: 1s, deadAfter: 3s}";
        Hub b = hub("b", fast);
        hub("c", fast);
        WsTestClient onB = client(b);
        onB.result("chat.send", Map.of("text", "hi", "session_key", "s"));
        OutboundMessage left = OutboundMessage.to("websocket", "s", "left behind");
        try (Store db = store.open()) {
            new StoreOutbox(db, "an-instance-that-died", Clock.systemUTC()).enqueue(left);
        }

        JsonNode event = nextMessageEvent(onB); // whoever takes it over, b's client of the session gets it
        assertEquals("left behind", event.get("text").asText(), event.toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> column("SELECT state FROM outbox WHERE id = '" + left.id() + "'")
                        .equals(List.of("sent")));
        List<String> owner = column("SELECT owner FROM outbox WHERE id = '" + left.id() + "'");
        assertFalse(owner.contains("an-instance-that-died"), owner.toString());
    }

    @Test
    void aStoppingInstanceWakesAnotherToSendTheRepliesItGaveBackWithoutWaitingForAHeartbeat() throws Exception {
        llmAnswers(0);
        Hub b = hub("b", "cluster: {heartbeat: 60s, deadAfter: 120s}");
        WsTestClient onB = client(b);
        onB.result("chat.send", Map.of("text", "hi", "session_key", "s"));
        OutboundMessage left = OutboundMessage.to("websocket", "s", "given back");
        try (Store db = store.open()) {
            StoreOutbox stopping = new StoreOutbox(db, "a-stopping-instance", Clock.systemUTC());
            stopping.enqueue(left);
            assertEquals(1, stopping.release());
        }

        JsonNode event = nextMessageEvent(onB);
        assertEquals("given back", event.get("text").asText(), event.toString());
        assertTrue(column("SELECT owner FROM outbox WHERE id = '" + left.id() + "'")
                .contains(Files.readString(dir.resolve("b/instance-id")).strip()));
    }
}
