package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
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
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hubs on one PostgreSQL database, each with its own data directory (instance id): heartbeats in the status,
 * take-over of a dead instance's messages, a clean stop's wake-up, the {@code hub_instance} label; a reply, streamed
 * pieces included, reaches the WebSocket clients waiting for it on another instance than the one that answered, and
 * the unsent replies of an instance that died or stopped are sent by another one.
 */
@ExtendWith(TestPostgres.class)
class ClusterHubTest {
    /** The LLM's first answer takes this long: the instance asking it is still answering when the test acts. */
    private static final int SLOW_MILLIS = 12_000;

    @TempDir
    Path dir;

    @AutoClose
    private ClusterHubs hubs;

    @BeforeEach
    void start(TestDatabase database) {
        hubs = new ClusterHubs(dir, database);
        hubs.llmStreams(SLOW_MILLIS, "Answered"); // the first call hangs: the instance that makes it is busy answering
    }

    private static HttpResponse<String> get(Hub hub, String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsEveryInstanceInTheStatusAndLabelsItsMetricsWithItsInstanceId() throws Exception {
        Hub a = hubs.hub("a", "");
        Hub b = hubs.hub("b", "");
        String admin = StoredSecrets.read(hubs.store().url(), "admin.token").orElseThrow();
        String idA = Files.readString(dir.resolve("a/instance-id")).strip();
        String idB = Files.readString(dir.resolve("b/instance-id")).strip();

        JsonNode status =
                new ObjectMapper().readTree(get(b, "/api/v1/status", admin).body());
        JsonNode instances = status.get("instances");
        Set<String> ids = Set.copyOf(StreamSupport.stream(instances.spliterator(), false)
                .map(i -> i.get("id").asText())
                .toList());
        assertEquals(Set.of(idA, idB), ids, status.toString());
        for (JsonNode i : instances) {
            assertTrue(i.get("startedAt").isTextual() && i.get("lastSeen").isTextual(), i.toString());
            assertEquals(0, i.get("queues").get("inbound").asInt(), i.toString());
        }

        String metrics = get(a, "/metrics", admin).body();
        assertTrue(metrics.contains("hub_uptime_seconds{hub_instance=\"" + idA + "\"}"), metrics);
        assertFalse(metrics.contains("{instance=") || metrics.contains(",instance="), "Prometheus owns instance");
    }

    @Test
    void answersOnAnotherInstanceOnceAndInOrderTheMessagesOfAnInstanceThatStoppedBeating() throws Exception {
        String fast = """
                cluster: {heartbeat: 1s, deadAfter: 3s}
                """;
        Hub a = hubs.hub("a", fast);
        hubs.hub("b", fast);
        WsTestClient c = hubs.client(a);
        c.request("chat.send", Map.of("text", "first", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> hubs.llmCalls() == 1); // a is answering "first"
        c.request("chat.send", Map.of("text", "second", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hubs.column("SELECT count(*) FROM inbox").equals(List.of("2")));

        // a dies: from now on nothing it does reaches the database (no heartbeat, no answer), while its threads,
        // the one waiting for the LLM among them, carry on as a hung process's would.
        a.runtime().store().close();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> hubs.column("SELECT count(*) FROM inbox WHERE state = 'done'")
                        .equals(List.of("2")));
        assertEquals(
                List.of("user:first", "assistant:Answered", "user:second", "assistant:Answered"),
                hubs.column("SELECT role || ':' || content FROM messages ORDER BY seq"));
        assertEquals(List.of("2"), hubs.column("SELECT count(*) FROM outbox"), "one reply per message");
    }

    @Test
    void aCleanStopWakesAnotherInstanceToAnswerWhatWasQueuedWithoutWaitingForTheSweep() throws Exception {
        Hub a = hubs.hub("a", "agentLoop: {concurrency: 1}");
        hubs.hub("b", "");
        WsTestClient c = hubs.client(a);
        c.request("chat.send", Map.of("text", "first", "session_key", "s1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> hubs.llmCalls() == 1); // a's one worker is busy
        c.request("chat.send", Map.of("text", "queued", "session_key", "s2"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hubs.column("SELECT count(*) FROM inbox").equals(List.of("2")));

        a.close(); // hands "queued" back and wakes b, which the sweep would reach only after 30 s

        await().atMost(Duration.ofSeconds(8))
                .until(() -> hubs.column("SELECT state FROM inbox WHERE payload LIKE '%queued%'")
                        .equals(List.of("done")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hubs.column("SELECT count(*) FROM inbox WHERE state = 'done'")
                        .equals(List.of("2")));
        assertEquals(List.of("2"), hubs.column("SELECT count(*) FROM outbox"), "one reply per message");
    }

    /** The LLM streams "Hello" and " there"; its first answer comes after {@code firstDelayMillis}. */
    private void llmAnswers(int firstDelayMillis) {
        hubs.llmStreams(firstDelayMillis, "Hello", " there");
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
        Hub a = hubs.hub("a", "");
        Hub b = hubs.hub("b", "");
        Map<String, String> ask = Map.of("text", "hi", "session_key", "s", "idempotency_key", "k1");
        WsTestClient onA = hubs.client(a);
        int asked = onA.request("chat.send_stream", ask);
        await().atMost(Duration.ofSeconds(20)).until(() -> hubs.llmCalls() == 1); // a admitted it, so a answers it

        WsTestClient onB = hubs.client(b);
        int askedAgain = onB.request("chat.send_stream", ask); // the same message, still being answered on a
        JsonNode onBReply = onB.response(askedAgain);

        assertEquals("Hello there", onBReply.get("result").get("text").asText(), onBReply.toString());
        assertFalse(deltas(onB, askedAgain).isEmpty(), "streamed pieces reach b's client: " + onB.events());
        JsonNode onAReply = onA.response(asked);
        assertEquals(
                onAReply.get("result").get("message_id"), onBReply.get("result").get("message_id"), "one reply");
        assertEquals(1, hubs.llmCalls(), "answered once");
        assertEquals(List.of("1"), hubs.column("SELECT count(*) FROM outbox"));
    }

    @Test
    void aReplyFromTheInstanceThatTookOverReachesTheClientThatAskedAgainOnAnotherInstance() throws Exception {
        llmAnswers(12_000); // a is still asking when it dies
        String fast = "cluster: {heartbeat: 1s, deadAfter: 3s}";
        Hub a = hubs.hub("a", fast);
        Hub b = hubs.hub(
                "b", "cluster: {heartbeat: 60s, deadAfter: 120s}"); // beats too rarely to be the one taking over
        hubs.hub("c", fast);
        Map<String, String> ask = Map.of("text", "hi", "session_key", "s", "idempotency_key", "k1");
        WsTestClient onA = hubs.client(a);
        onA.request("chat.send", ask);
        await().atMost(Duration.ofSeconds(20)).until(() -> hubs.llmCalls() == 1);

        onA.close(); // its client goes away, and a dies: nothing it does reaches the database any more
        a.runtime().store().close();
        WsTestClient onB = hubs.client(b);
        int askedAgain = onB.request("chat.send", ask);
        JsonNode reply = onB.response(askedAgain);

        assertEquals("Hello there", reply.get("result").get("text").asText(), reply.toString());
        assertEquals(List.of("1"), hubs.column("SELECT count(*) FROM outbox"), "one reply");
        assertEquals(List.of("done"), hubs.column("SELECT state FROM inbox"));
        JsonNode history = onB.result("chat.history", Map.of("session_key", "s"));
        assertEquals("Hello there", history.get("messages").get(1).get("text").asText(), history.toString());
    }

    @Test
    void sendsOnceTheReplyAnInstanceThatStoppedBeatingStoredButHadNotSent() throws Exception {
        llmAnswers(0);
        String fast = "cluster: {heartbeat: 1s, deadAfter: 3s}";
        Hub b = hubs.hub("b", fast);
        hubs.hub("c", fast);
        WsTestClient onB = hubs.client(b);
        onB.result("chat.send", Map.of("text", "hi", "session_key", "s"));
        OutboundMessage left = OutboundMessage.to("websocket", "s", "left behind");
        try (Store db = hubs.store().open()) {
            new StoreOutbox(db, "an-instance-that-died", Clock.systemUTC()).enqueue(left);
        }

        JsonNode event = nextMessageEvent(onB); // whoever takes it over, b's client of the session gets it
        assertEquals("left behind", event.get("text").asText(), event.toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> hubs.column("SELECT state FROM outbox WHERE id = '" + left.id() + "'")
                        .equals(List.of("sent")));
        List<String> owner = hubs.column("SELECT owner FROM outbox WHERE id = '" + left.id() + "'");
        assertFalse(owner.contains("an-instance-that-died"), owner.toString());
    }

    @Test
    void aStoppingInstanceWakesAnotherToSendTheRepliesItGaveBackWithoutWaitingForAHeartbeat() throws Exception {
        llmAnswers(0);
        Hub b = hubs.hub("b", "cluster: {heartbeat: 60s, deadAfter: 120s}");
        WsTestClient onB = hubs.client(b);
        onB.result("chat.send", Map.of("text", "hi", "session_key", "s"));
        OutboundMessage left = OutboundMessage.to("websocket", "s", "given back");
        try (Store db = hubs.store().open()) {
            StoreOutbox stopping = new StoreOutbox(db, "a-stopping-instance", Clock.systemUTC());
            stopping.enqueue(left);
            assertEquals(1, stopping.release());
        }

        JsonNode event = nextMessageEvent(onB);
        assertEquals("given back", event.get("text").asText(), event.toString());
        assertTrue(hubs.column("SELECT owner FROM outbox WHERE id = '" + left.id() + "'")
                .contains(Files.readString(dir.resolve("b/instance-id")).strip()));
    }
}
