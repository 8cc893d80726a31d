package io.connectorhub.channel.websocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.agent.Agent;
import io.connectorhub.agent.BuiltinAgent;
import io.connectorhub.core.OutboundMessage;
import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketChannelTest {
    @TempDir
    Path dir;

    private WsHarness hub;

    private WsHarness start(String websocketYaml) throws Exception {
        return start(websocketYaml, new BuiltinAgent());
    }

    private WsHarness start(String websocketYaml, Agent agent) throws Exception {
        hub = WsHarness.start(dir, websocketYaml, agent);
        return hub;
    }

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
    }

    /** The HTTP status with which the server refused a WebSocket upgrade. */
    private static int refusal(CompletionException e) {
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    private static int errorCode(JsonNode response) {
        return response.path("error").path("code").asInt();
    }

    @Test
    void answersChatSendWithTheReply() throws Exception {
        start("");
        try (WsTestClient c = hub.client()) {
            JsonNode result = c.result("chat.send", Map.of("text", "hello"));
            assertEquals(
                    "You said: hello\n(message 1 in this conversation)",
                    result.get("text").asText());
            assertEquals("main", result.get("session_key").asText());
            assertFalse(result.get("message_id").asText().isEmpty());
            assertFalse(result.get("timestamp").asText().isEmpty());
        }
    }

    @Test
    void streamsDeltasBeforeTheFinalResult() throws Exception {
        start("");
        try (WsTestClient c = hub.client()) {
            int id = c.request("chat.send_stream", Map.of("text", "one two three", "session_key", "s1"));
            JsonNode response = c.response(id);
            String text = response.get("result").get("text").asText();
            List<JsonNode> deltas = c.events().stream()
                    .filter(e -> e.get("params").get("type").asText().equals("chat.delta"))
                    .toList();
            assertFalse(deltas.isEmpty(), "expected the reply streamed before the result");
            StringBuilder joined = new StringBuilder();
            for (JsonNode d : deltas) {
                assertEquals(id, d.get("params").get("request_id").asInt());
                assertEquals(
                        response.get("result").get("message_id").asText(),
                        d.get("params").get("message_id").asText());
                joined.append(d.get("params").get("delta").asText());
            }
            assertEquals(text, joined.toString());
        }
    }

    @Test
    void keepsHistoryListsAndDeletesSessions() throws Exception {
        start("");
        try (WsTestClient c = hub.client()) {
            c.result("chat.send", Map.of("text", "first", "session_key", "work"));
            JsonNode second = c.result("chat.send", Map.of("text", "second", "session_key", "work"));
            assertTrue(second.get("text").asText().contains("message 2"), second.toString());

            JsonNode history = c.result("chat.history", Map.of("session_key", "work"));
            List<String> roles = history.get("messages").findValuesAsText("role");
            assertEquals(List.of("user", "assistant", "user", "assistant"), roles);
            assertEquals("first", history.get("messages").get(0).get("text").asText());

            JsonNode sessions = c.result("session.list", Map.of());
            assertEquals(
                    "work", sessions.get("sessions").get(0).get("session_key").asText());
            assertEquals(4, sessions.get("sessions").get(0).get("message_count").asInt());

            assertTrue(c.result("session.delete", Map.of("session_key", "work"))
                    .get("deleted")
                    .asBoolean());
            assertFalse(c.result("session.delete", Map.of("session_key", "work"))
                    .get("deleted")
                    .asBoolean());
            assertEquals(
                    0,
                    c.result("chat.history", Map.of("session_key", "work"))
                            .get("messages")
                            .size());
        }
    }

    @Test
    void answersARepeatedIdempotencyKeyWithTheSameReplyAndOneAgentRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        BuiltinAgent builtin = new BuiltinAgent();
        start("", (request, stream) -> {
            runs.incrementAndGet();
            return builtin.respond(request, stream);
        });
        try (WsTestClient c = hub.client()) {
            Map<String, String> params = Map.of("text", "pay the bill", "idempotency_key", "req-42");
            JsonNode first = c.result("chat.send", params);
            JsonNode again = c.result("chat.send", params);
            assertEquals(first.get("message_id"), again.get("message_id"));
            assertEquals(first.get("text"), again.get("text"));
            assertEquals(1, runs.get());
            assertEquals(2, c.result("chat.history", Map.of()).get("messages").size());
        }
    }

    @Test
    void tellsAClientWaitingForAnAnswerWhenItsMessageExpires() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        start("", (request, stream) -> {
            asked.countDown();
            finish.await();
            return "too late";
        });
        try (WsTestClient c = hub.client()) {
            int id = c.request("chat.send", Map.of("text", "hello", "idempotency_key", "k1"));
            assertTrue(asked.await(20, TimeUnit.SECONDS));
            // What the inbox sweep does once the message is older than recovery.maxMessageAge
            hub.runtime.channels().expired("websocket", List.of("k:main:k1"));
            JsonNode response = c.response(id);
            assertEquals(-32005, errorCode(response), response.toString());
            assertEquals(
                    "this message expired before it was answered (older than recovery.maxMessageAge); "
                            + "send it again with a new idempotency_key",
                    response.at("/error/message").asText());
        } finally {
            finish.countDown();
        }
    }

    @Test
    void authenticatesWithAConnectCall() throws Exception {
        start("");
        try (WsTestClient c = WsTestClient.connect(hub.port(), Map.of())) {
            JsonNode result = c.result("connect", Map.of("token", WsHarness.TOKEN, "client_id", "laptop"));
            assertEquals("laptop", result.get("client_id").asText());
            assertTrue(c.result("chat.send", Map.of("text", "hi"))
                    .get("text")
                    .asText()
                    .startsWith("You said: hi"));
        }
    }

    @Test
    void answersHealthWithoutAuthentication() throws Exception {
        start("");
        try (WsTestClient c = WsTestClient.connect(hub.port(), Map.of())) {
            JsonNode result = c.result("health", Map.of());
            assertEquals("ok", result.get("status").asText());
            assertEquals(1, result.get("connections").asInt());
        }
    }

    @Test
    void refusesAnUnauthenticatedCallThenCloses() throws Exception {
        start("");
        try (WsTestClient c = WsTestClient.connect(hub.port(), Map.of())) {
            JsonNode response = c.call("chat.send", Map.of("text", "hi"));
            assertEquals(-32001, errorCode(response));
            assertEquals(1008, c.awaitClose());
        }
        assertEquals(0, hub.runtime.sessions().list("", 10).size());
    }

    @Test
    void refusesAWrongTokenInConnectThenCloses() throws Exception {
        start("");
        try (WsTestClient c = WsTestClient.connect(hub.port(), Map.of())) {
            JsonNode response = c.call("connect", Map.of("token", "wrong-token-wrong-token"));
            assertEquals(-32001, errorCode(response));
            assertFalse(response.toString().contains(WsHarness.TOKEN));
            assertEquals(1008, c.awaitClose());
        }
    }

    @Test
    void refusesTheUpgradeWithAWrongBearerToken() throws Exception {
        start("");
        CompletionException e = assertThrows(
                CompletionException.class, () -> WsTestClient.authorized(hub.port(), "nope-nope-nope-nope"));
        assertEquals(401, refusal(e));
    }

    @Test
    void closesConnectionsThatDoNotAuthenticateInTime() throws Exception {
        start("    authTimeout: 300ms\n");
        try (WsTestClient c = WsTestClient.connect(hub.port(), Map.of())) {
            assertEquals(-32001, errorCode(c.next()));
            assertEquals(1008, c.awaitClose());
        }
    }

    @Test
    void reportsMalformedFramesWithTheirJsonRpcCodes() throws Exception {
        start("");
        try (WsTestClient c = hub.client()) {
            c.sendRaw("{not json");
            JsonNode parse = c.next();
            assertEquals(-32700, errorCode(parse));
            assertTrue(parse.get("id").isNull());

            c.sendRaw("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"health\"}");
            JsonNode shape = c.next();
            assertEquals(-32600, errorCode(shape));
            assertEquals(7, shape.get("id").asInt());

            c.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"health\"}]");
            assertEquals(-32600, errorCode(c.next()));

            c.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"health\",\"params\":[1]}");
            assertEquals(-32600, errorCode(c.next()));

            JsonNode unknown = c.call("chat.sendd", Map.of());
            assertEquals(-32601, errorCode(unknown));
            assertTrue(unknown.get("error").get("message").asText().contains("chat.send"));

            JsonNode missing = c.call("chat.send", Map.of());
            assertEquals(-32602, errorCode(missing));
            assertTrue(missing.get("error").get("message").asText().contains("params.text"));

            JsonNode badKey = c.call("chat.send", Map.of("text", "x", "session_key", "no spaces allowed"));
            assertEquals(-32602, errorCode(badKey));
            assertTrue(badKey.get("error").get("message").asText().contains("params.session_key"));

            JsonNode badLimit = c.call("chat.history", Map.of("limit", 0));
            assertTrue(badLimit.get("error").get("message").asText().contains("params.limit"));

            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals(-32600, errorCode(c.next()));

            // The connection survives all of it.
            assertEquals("ok", c.result("health", Map.of()).get("status").asText());
        }
    }

    @Test
    void closesWith1009OnAFrameOverTheSizeLimit() throws Exception {
        start("    maxMessageBytes: 2048\n");
        try (WsTestClient c = hub.client()) {
            c.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.send\",\"params\":{\"text\":\""
                    + "x".repeat(3000) + "\"}}");
            assertEquals(1009, c.awaitClose());
        }
        assertEquals(0, hub.runtime.sessions().list("", 10).size());
    }

    @Test
    void rateLimitsEachConnectionWithARetryHint() throws Exception {
        start("    rateLimitPerMinute: 3\n");
        try (WsTestClient c = hub.client();
                WsTestClient other = hub.client()) {
            for (int i = 0; i < 3; i++) c.result("health", Map.of());
            JsonNode limited = c.call("health", Map.of());
            assertEquals(-32003, errorCode(limited));
            long retry = limited.get("error").get("data").get("retry_after_ms").asLong();
            assertTrue(retry > 0 && retry <= 60_000, "retry_after_ms " + retry);
            assertEquals("ok", other.result("health", Map.of()).get("status").asText());
        }
    }

    @Test
    void refusesConnectionsOverTheLimit() throws Exception {
        start("    maxConnections: 2\n");
        try (WsTestClient a = hub.client();
                WsTestClient b = hub.client()) {
            CompletionException e = assertThrows(CompletionException.class, hub::client);
            assertEquals(503, refusal(e));
            assertEquals("ok", a.result("health", Map.of()).get("status").asText());
            b.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> a.result("health", Map.of()).get("connections").asInt() == 1);
            try (WsTestClient c = hub.client()) {
                assertEquals(2, c.result("health", Map.of()).get("connections").asInt());
            }
        }
    }

    /** Connects without credentials; null if the upgrade was refused with {@code status}. */
    private WsTestClient anonymous(int status) {
        try {
            return WsTestClient.connect(hub.port(), Map.of());
        } catch (CompletionException e) {
            assertEquals(status, refusal(e));
            return null;
        }
    }

    @Test
    void capsConnectionsThatHaveNotAuthenticatedPerClientAddress() throws Exception {
        start("    maxUnauthenticatedPerIp: 3\n");
        List<WsTestClient> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) waiting.add(WsTestClient.connect(hub.port(), Map.of()));
            CompletionException refused =
                    assertThrows(CompletionException.class, () -> WsTestClient.connect(hub.port(), Map.of()));
            assertEquals(429, refusal(refused));

            try (WsTestClient withHeader = hub.client()) {
                assertEquals(
                        "ok",
                        withHeader.result("health", Map.of()).get("status").asText(),
                        "a token passes");
            }

            waiting.get(0).result("connect", Map.of("token", WsHarness.TOKEN)); // no longer counts
            waiting.add(WsTestClient.connect(hub.port(), Map.of()));
            assertEquals(
                    429,
                    refusal(assertThrows(CompletionException.class, () -> WsTestClient.connect(hub.port(), Map.of()))));
        } finally {
            waiting.forEach(WsTestClient::close);
        }
    }

    @Test
    void aClosedConnectionNoLongerCountsAsUnauthenticated() throws Exception {
        start("    maxUnauthenticatedPerIp: 1\n");
        WsTestClient first = WsTestClient.connect(hub.port(), Map.of());
        assertEquals(
                429,
                refusal(assertThrows(CompletionException.class, () -> WsTestClient.connect(hub.port(), Map.of()))));
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            WsTestClient next = anonymous(429);
            if (next == null) return false;
            next.close();
            return true;
        });
    }

    @Test
    void wrongWebSocketTokensCountTowardTheSharedLockout() throws Exception {
        start("admin:\n  authFailuresPerMinute: 3\n");
        try (WsTestClient before = WsTestClient.connect(hub.port(), Map.of())) {
            for (int i = 0; i < 2; i++) {
                CompletionException e = assertThrows(
                        CompletionException.class, () -> WsTestClient.authorized(hub.port(), "guess-0123456789abcdef"));
                assertEquals(401, refusal(e));
            }
            try (WsTestClient guesser = WsTestClient.connect(hub.port(), Map.of())) {
                JsonNode wrong = guesser.call("connect", Map.of("token", "guess-0123456789abcdef"));
                assertEquals(-32001, errorCode(wrong));
            }
            assertTrue(hub.runtime.channelContext().authFailures().lockedOut("127.0.0.1"), "the hub's one lockout");

            CompletionException locked =
                    assertThrows(CompletionException.class, () -> WsTestClient.authorized(hub.port(), WsHarness.TOKEN));
            assertEquals(429, refusal(locked), "even the right token, until the minute is over");
            assertEquals(
                    "60",
                    ((WebSocketHandshakeException) locked.getCause())
                            .getResponse()
                            .headers()
                            .firstValue("Retry-After")
                            .orElseThrow());
            JsonNode refused = before.call("connect", Map.of("token", WsHarness.TOKEN));
            assertEquals(-32001, errorCode(refused), "a connection opened before the lockout cannot log in either");
            assertEquals(1008, before.awaitClose());
        }
    }

    @Test
    void aClientLockedOutElsewhereIsRefusedTheUpgrade() throws Exception {
        start("admin:\n  authFailuresPerMinute: 2\n");
        hub.runtime.channelContext().authFailures().record("127.0.0.1");
        hub.runtime.channelContext().authFailures().record("127.0.0.1"); // e.g. two wrong admin tokens
        assertEquals(
                429,
                refusal(assertThrows(CompletionException.class, () -> WsTestClient.connect(hub.port(), Map.of()))));
    }

    @Test
    void countsEachClientBehindATrustedProxyByItsForwardedAddress() throws Exception {
        hub = WsHarness.start(
                dir,
                "    maxUnauthenticatedPerIp: 1\nadmin:\n  authFailuresPerMinute: 1\n",
                new BuiltinAgent(),
                List.of("127.0.0.1"));
        try (WsTestClient first = WsTestClient.connect(hub.port(), Map.of("X-Forwarded-For", "203.0.113.1"));
                WsTestClient other = WsTestClient.connect(hub.port(), Map.of("X-Forwarded-For", "203.0.113.2"))) {
            CompletionException full = assertThrows(
                    CompletionException.class,
                    () -> WsTestClient.connect(hub.port(), Map.of("X-Forwarded-For", "203.0.113.1")));
            assertEquals(429, refusal(full), "203.0.113.1 has its one unauthenticated connection");

            Map<String, String> wrong =
                    Map.of("X-Forwarded-For", "203.0.113.3", "Authorization", "Bearer guess-0123456789abcdef");
            assertEquals(
                    401,
                    refusal(assertThrows(CompletionException.class, () -> WsTestClient.connect(hub.port(), wrong))));
            assertTrue(hub.runtime.channelContext().authFailures().lockedOut("203.0.113.3"));
            assertFalse(hub.runtime.channelContext().authFailures().lockedOut("127.0.0.1"), "not the proxy");
            Map<String, String> right =
                    Map.of("X-Forwarded-For", "203.0.113.4", "Authorization", "Bearer " + WsHarness.TOKEN);
            try (WsTestClient authorized = WsTestClient.connect(hub.port(), right)) {
                assertEquals(
                        "ok",
                        authorized.result("health", Map.of()).get("status").asText());
            }
        }
    }

    @Test
    void refusesForeignBrowserOrigins() throws Exception {
        start("    allowedOrigins: [\"https://console.example\"]\n");
        CompletionException e = assertThrows(
                CompletionException.class,
                () -> WsTestClient.connect(
                        hub.port(),
                        Map.of("Authorization", "Bearer " + WsHarness.TOKEN, "Origin", "https://evil.example")));
        assertEquals(403, refusal(e));
        try (WsTestClient ok = WsTestClient.connect(
                hub.port(),
                Map.of("Authorization", "Bearer " + WsHarness.TOKEN, "Origin", "https://console.example"))) {
            assertEquals("ok", ok.result("health", Map.of()).get("status").asText());
        }
    }

    @Test
    void deniesClientsNotOnTheAllowList() throws Exception {
        start("    allowFrom: [\"alice\"]\n");
        try (WsTestClient bob = hub.client();
                WsTestClient alice = hub.client()) {
            bob.result("connect", Map.of("token", WsHarness.TOKEN, "client_id", "bob"));
            assertEquals(-32002, errorCode(bob.call("chat.send", Map.of("text", "let me in"))));
            alice.result("connect", Map.of("token", WsHarness.TOKEN, "client_id", "alice"));
            assertTrue(alice.result("chat.send", Map.of("text", "hi"))
                    .get("text")
                    .asText()
                    .startsWith("You said"));
        }
        assertEquals(1, hub.runtime.sessions().list("", 10).size());
    }

    @Test
    void closesPeersThatStopAnsweringPings() throws Exception {
        start("    pingInterval: 200ms\n");
        try (WsTestClient live = hub.client();
                RawPeer silent = RawPeer.connect(hub.port(), WsHarness.TOKEN, 0)) {
            RawPeer.Frame close = silent.awaitClose();
            assertEquals(1001, close.closeCode());
            // The JDK client answers pings, so it is still there after the silent one was judged dead. The server
            // forgets the silent peer when its close completes, just after the close frame went out.
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            live.result("health", Map.of()).get("connections").asInt() == 1);
        }
    }

    @Test
    void disconnectsASlowConsumerWithoutStallingOthers() throws Exception {
        start("""
                    maxPendingBytes: 65536
                    rateLimitPerMinute: 100000
                    maxMessageBytes: 200000
                """);
        try (WsTestClient fast = hub.client();
                RawPeer slow = RawPeer.connect(hub.port(), WsHarness.TOKEN, 4096)) {
            String big = "y".repeat(100_000);
            try {
                for (int i = 0; i < 100; i++) {
                    slow.sendText(
                            "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"chat.send\",\"params\":{\"text\":\""
                                    + big + "\",\"session_key\":\"slow\"}}");
                }
            } catch (IOException disconnected) {
                // The hub may cut the slow peer off while it is still writing.
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> hub.runtime.metrics().count(WebSocketChannel.NAME, "slow_consumers") == 1);
            assertTrue(fast.result("chat.send", Map.of("text", "still here"))
                    .get("text")
                    .asText()
                    .contains("still here"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            fast.result("health", Map.of()).get("connections").asInt() == 1);
        }
    }

    @Test
    void deliversUnaskedMessagesToClientsOfTheSession() throws Exception {
        start("");
        try (WsTestClient c = hub.client()) {
            c.result("chat.send", Map.of("text", "subscribe me", "session_key", "news"));
            hub.runtime.bus().publishOutbound(OutboundMessage.to(WebSocketChannel.NAME, "news", "breaking"));
            JsonNode event = c.next();
            assertEquals("event", event.get("method").asText());
            assertEquals("chat.message", event.get("params").get("type").asText());
            assertEquals("breaking", event.get("params").get("text").asText());
            assertEquals("news", event.get("params").get("session_key").asText());
        }
    }
}
