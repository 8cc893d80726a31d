package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.testing.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/me/sessions}: a user creates, renames, searches and pages through their own sessions only. */
class MySessionsApiTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        hub = AdminHarness.start(AdminHarness.config(dir, "channels:\n  websocket:\n    pingInterval: 1h\n"), clock);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private String user(String name) throws Exception {
        return hub.newUserToken(name, PASSWORD);
    }

    private JsonNode create(String access, String title) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        AdminHarness.Reply r = hub.call("POST", "/api/v1/me/sessions", access, Map.of("title", title));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private List<String> titles(String access, String query) throws Exception {
        AdminHarness.Reply r = hub.call("GET", "/api/v1/me/sessions" + query, access, null);
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        r.json().get("sessions").forEach(s -> out.add(s.get("title").asText()));
        return out;
    }

    @Test
    void aUserCreatesRenamesSearchesAndPagesThroughTheirSessionsAndNeverSeesAnothersOnes() throws Exception {
        String ann = user("ann");
        String bob = user("bob");
        JsonNode trip = create(ann, "Trip to Lisbon");
        assertEquals("websocket", trip.get("channel").asText());
        assertEquals(0, trip.get("message_count").asInt());
        String tripKey = trip.get("session_key").asText();
        JsonNode recipes = create(ann, "Recipes");
        create(ann, "Taxes 2026");
        create(bob, "Bob's trip");

        assertEquals(List.of("Taxes 2026", "Recipes", "Trip to Lisbon"), titles(ann, ""));

        AdminHarness.Reply renamed = hub.call(
                "PATCH",
                "/api/v1/me/sessions/" + recipes.get("session_key").asText(),
                ann,
                Map.of("title", "Soup recipes"));
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("Soup recipes", renamed.json().get("title").asText());
        assertEquals(List.of("Soup recipes"), titles(ann, "?q=SOUP"));
        assertEquals(List.of("Trip to Lisbon"), titles(ann, "?q=trip"), "bob's trip is not ann's");
        assertEquals(3, titles(ann, "?q=").size(), "an empty q filters nothing");
        assertEquals(titles(ann, ""), titles(ann, "?q="));
        assertEquals(
                400,
                hub.call("GET", "/api/v1/me/sessions?q=" + "x".repeat(201), ann, null)
                        .status());

        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), ann)) {
            ws.result("chat.send", Map.of("text", "what about pastel de nata?", "session_key", tripKey));
        }
        assertEquals(List.of("Trip to Lisbon"), titles(ann, "?q=" + enc("(message 1 in")), "the last message");

        assertEquals(List.of("Trip to Lisbon", "Taxes 2026"), titles(ann, "?limit=2"), "the trip was active last");
        JsonNode page =
                hub.call("GET", "/api/v1/me/sessions?limit=2", ann, null).json().get("sessions");
        String next = page.get(1).get("updated_at").asText();
        assertEquals(List.of("Soup recipes"), titles(ann, "?limit=2&before=" + enc(next)));
        assertEquals(
                400,
                hub.call("GET", "/api/v1/me/sessions?before=yesterday", ann, null)
                        .status());

        assertEquals(
                404,
                hub.call("PATCH", "/api/v1/me/sessions/" + tripKey, bob, Map.of("title", "mine now"))
                        .status());
        assertEquals(
                404,
                hub.call("GET", "/api/v1/me/sessions/" + tripKey + "/messages", bob, null)
                        .status());
        assertEquals(
                400,
                hub.call("PATCH", "/api/v1/me/sessions/" + tripKey, ann, Map.of("title", " "))
                        .status());
        assertTrue(titles(ann, "").contains("Trip to Lisbon"));
    }

    @Test
    void historyPagesBackwardsFromTheOldestMessageShownAndRefusesAnotherSessionsMessageId() throws Exception {
        String ann = user("ann");
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), ann)) {
            for (String text : List.of("one", "two", "three")) ws.result("chat.send", Map.of("text", text));
            ws.result("chat.send", Map.of("text", "elsewhere", "session_key", "other"));
        }
        JsonNode last = hub.call("GET", "/api/v1/me/sessions/main/messages?limit=2", ann, null)
                .json()
                .get("messages");
        assertEquals("three", last.get(0).get("text").asText(), last.toString());
        assertEquals(2, last.size());
        AdminHarness.Reply older = hub.call(
                "GET",
                "/api/v1/me/sessions/main/messages?limit=4&before="
                        + enc(last.get(0).get("id").asText()),
                ann,
                null);
        assertEquals(200, older.status(), older.body());
        List<String> roles = new ArrayList<>();
        older.json()
                .get("messages")
                .forEach(m ->
                        roles.add(m.get("role").asText() + ":" + m.get("text").asText()));
        assertEquals("user:one", roles.get(0), roles.toString());
        assertEquals(4, roles.size(), roles.toString());
        assertEquals("user:two", roles.get(2), roles.toString());

        String foreign = hub.call("GET", "/api/v1/me/sessions/other/messages", ann, null)
                .json()
                .get("messages")
                .get(0)
                .get("id")
                .asText();
        AdminHarness.Reply refused =
                hub.call("GET", "/api/v1/me/sessions/main/messages?before=" + enc(foreign), ann, null);
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("before must be the id of a message of session main"), refused.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
