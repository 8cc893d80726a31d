package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.testing.MutableClock;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users on the WebSocket channel: signed in with an access token, each in their own sessions, cut off in time. */
class UserWebSocketTest {
    private static final String SHARED = "shared-token-0123456789abcdef";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private AdminHarness hub;

    /** With pings an hour apart, so that moving the clock by minutes closes no connection as silent. */
    @BeforeEach
    void start() throws Exception {
        hub = AdminHarness.start(
                AdminHarness.config(
                        dir,
                        "auth:\n  registration: open\nchannels:\n  websocket:\n    token: " + SHARED
                                + "\n    pingInterval: 1h\n"),
                clock);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private JsonNode register(String username) throws Exception {
        AdminHarness.Reply r =
                hub.call("POST", "/api/v1/auth/register", null, Map.of("username", username, "password", PASSWORD));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private String login(String username) throws Exception {
        AdminHarness.Reply r =
                hub.call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", PASSWORD));
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    private WsTestClient connected(String token) {
        WsTestClient c = WsTestClient.connect(hub.hub.port(), Map.of());
        c.result("connect", Map.of("token", token));
        return c;
    }

    private static List<String> texts(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.get("messages").forEach(m -> out.add(m.get("text").asText()));
        return out;
    }

    @Test
    void twoUsersAndTheOwnerNeverSeeEachOthersSessionsHistoryOrIdempotencyKeysOverWebSocketOrHttp() throws Exception {
        JsonNode ann = register("ann");
        String annId = ann.get("user").get("id").asText();
        String bob = register("bob").get("access_token").asText();
        try (WsTestClient a = WsTestClient.authorized(
                        hub.hub.port(), ann.get("access_token").asText());
                WsTestClient b = connected(bob);
                WsTestClient owner = WsTestClient.authorized(hub.hub.port(), SHARED)) {
            JsonNode first = a.result("chat.send", Map.of("text", "ann's secret", "idempotency_key", "k1"));
            assertEquals("main", first.get("session_key").asText());
            JsonNode other = b.result("chat.send", Map.of("text", "bob's note", "idempotency_key", "k1"));
            assertTrue(other.get("text").asText().contains("bob's note"), "the same key is bob's own: " + other);
            owner.result("chat.send", Map.of("text", "owner's", "session_key", "main"));

            assertEquals(
                    List.of("ann's secret"),
                    texts(a.result("chat.history", Map.of())).subList(0, 1));
            assertFalse(texts(b.result("chat.history", Map.of())).toString().contains("ann"));
            assertFalse(texts(owner.result("chat.history", Map.of())).toString().contains("ann"));
            for (WsTestClient c : List.of(a, b, owner)) {
                JsonNode sessions = c.result("session.list", Map.of()).get("sessions");
                assertEquals(1, sessions.size(), sessions.toString());
                assertEquals("main", sessions.get(0).get("session_key").asText());
            }
            assertTrue(b.result("session.delete", Map.of("session_key", "main"))
                    .get("deleted")
                    .asBoolean());
            assertEquals(2, a.result("chat.history", Map.of()).get("messages").size(), "bob deleted only his own");
        }
        String annToken = ann.get("access_token").asText();
        JsonNode mine =
                hub.call("GET", "/api/v1/me/sessions", annToken, null).json().get("sessions");
        assertEquals(1, mine.size(), mine.toString());
        assertEquals("main", mine.get(0).get("session_key").asText());
        JsonNode history = hub.call("GET", "/api/v1/me/sessions/main/messages", annToken, null)
                .json();
        assertEquals("ann's secret", history.get("messages").get(0).get("text").asText());
        assertEquals(
                0,
                hub.call("GET", "/api/v1/me/sessions", bob, null)
                        .json()
                        .get("sessions")
                        .size());
        assertEquals(
                404,
                hub.call("GET", "/api/v1/me/sessions/main/messages", bob, null).status());
        assertEquals(
                404, hub.call("DELETE", "/api/v1/me/sessions/main", bob, null).status());
        JsonNode all = hub.ok("GET", "/api/v1/sessions?prefix=websocket:", null).get("sessions");
        assertTrue(all.toString().contains("websocket:@" + annId + "/main"), all.toString());
    }

    @Test
    void theOwnersSessionListFillsItsLimitPastUsersNewerSessions() throws Exception {
        String ann = register("ann").get("access_token").asText();
        try (WsTestClient owner = WsTestClient.authorized(hub.hub.port(), SHARED);
                WsTestClient a = connected(ann)) {
            owner.result("chat.send", Map.of("text", "first", "session_key", "older"));
            owner.result("chat.send", Map.of("text", "second", "session_key", "newer"));
            for (String key : List.of("u1", "u2", "u3")) {
                a.result("chat.send", Map.of("text", "hi", "session_key", key)); // newer than the owner's
            }
            JsonNode sessions = owner.result("session.list", Map.of("limit", 2)).get("sessions");
            List<String> keys = new ArrayList<>();
            sessions.forEach(s -> keys.add(s.get("session_key").asText()));
            assertEquals(List.of("newer", "older"), keys);
        }
    }

    @Test
    void aDisabledUsersOpenConnectionIsClosed() throws Exception {
        JsonNode ann = register("ann");
        try (WsTestClient a = connected(ann.get("access_token").asText())) {
            hub.ok("PATCH", "/api/v1/users/" + ann.get("user").get("id").asText(), Map.of("status", "disabled"));
            assertEquals(4003, a.awaitClose());
        }
    }

    @Test
    void aConnectionWhoseTokenExpiresIsClosedWith4001UnlessTheSameUserConnectedAgain() throws Exception {
        register("ann");
        String first = login("ann");
        try (WsTestClient renewed = connected(first);
                WsTestClient lapsed = connected(first)) {
            clock.advance(Duration.ofMinutes(10));
            renewed.result("connect", Map.of("token", login("ann")));
            clock.advance(Duration.ofMinutes(6));
            assertEquals(4001, lapsed.awaitClose());
            assertTrue(renewed.result("chat.send", Map.of("text", "still here")).has("text"));

            JsonNode switched = renewed.call(
                    "connect",
                    Map.of("token", register("bob").get("access_token").asText()));
            assertEquals(-32001, switched.get("error").get("code").asInt());
            assertEquals(1008, renewed.awaitClose());
        }
        try (WsTestClient late = WsTestClient.connect(hub.hub.port(), Map.of())) {
            JsonNode refused = late.call("connect", Map.of("token", first));
            assertEquals(-32006, refused.get("error").get("code").asInt(), refused.toString());
            assertEquals(4001, late.awaitClose());
        }
    }

    @Test
    void forgedTokensAreRefusedAtTheUpgradeAndInConnect() throws Exception {
        String token = register("ann").get("access_token").asText();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String admin = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.replace("\"user\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + admin + ".";
        for (String bad : List.of(parts[0] + "." + admin + "." + parts[2], unsigned)) {
            try (WsTestClient c = WsTestClient.connect(hub.hub.port(), Map.of())) {
                assertEquals(
                        -32001,
                        c.call("connect", Map.of("token", bad))
                                .get("error")
                                .get("code")
                                .asInt());
                assertEquals(1008, c.awaitClose());
            }
        }
        CompletionException refused =
                assertThrows(CompletionException.class, () -> WsTestClient.authorized(hub.hub.port(), unsigned));
        assertEquals(
                401,
                ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }
}
