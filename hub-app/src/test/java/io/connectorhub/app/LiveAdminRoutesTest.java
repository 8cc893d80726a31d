package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin routes the console watches the hub through: events, the per-minute series and the configuration. */
class LiveAdminRoutesTest {
    private static final String WS_TOKEN = "ws-token-0123456789abcdef-secret";

    @TempDir
    Path dir;

    private final FakePlatformChannel.Factory breakable = new FakePlatformChannel.Factory();
    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        var config =
                AdminHarness.config(dir, "channels:\n  websocket:\n    token: " + WS_TOKEN + "\n", List.of(breakable));
        hub = AdminHarness.start(config, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void everyNewRouteNeedsAnAdminToken() throws Exception {
        for (String path : List.of("/api/v1/events", "/api/v1/stats/series", "/api/v1/config")) {
            assertEquals(401, hub.call("GET", path, null, null).status(), path);
            assertEquals(
                    401,
                    hub.call("GET", path, "wrong-token-0123456789abcdef", null).status(),
                    path);
        }
    }

    @Test
    void theSeriesCountsEachChannelsMessagesInTheCurrentMinute() throws Exception {
        try (WsTestClient ws = WsTestClient.authorized(hub.hub.port(), WS_TOKEN)) {
            ws.result("chat.send", Map.of("text", "one"));
            ws.result("chat.send", Map.of("text", "two"));
        }
        // A reply is counted once it was handed to the channel, just after the client read it; and the two
        // messages may fall on either side of a minute's end: so the test waits, and adds up the last minutes.
        await().atMost(Duration.ofSeconds(10)).until(() -> sum(websocketSeries(), "replies", 58, 60) == 2);
        JsonNode body = hub.ok("GET", "/api/v1/stats/series?minutes=60", null);
        assertEquals(60, body.get("minutes").asInt());
        assertEquals(60, body.get("stepSeconds").asInt());
        JsonNode websocket = body.get("channels").get("websocket");
        for (String series : List.of("inbound", "replies", "denied", "failed"))
            assertEquals(60, websocket.get(series).size(), series);
        assertEquals(2, sum(websocket, "inbound", 58, 60));
        assertEquals(0, sum(websocket, "failed", 0, 60));
        assertEquals(0, sum(websocket, "inbound", 0, 58));
        assertEquals(
                5,
                hub.ok("GET", "/api/v1/stats/series?minutes=5", null)
                        .get("channels")
                        .get("websocket")
                        .get("inbound")
                        .size());
    }

    @Test
    void theSeriesRefusesAWindowItDoesNotKeep() throws Exception {
        for (String minutes : List.of("0", "61", "soon")) {
            var r = hub.call("GET", "/api/v1/stats/series?minutes=" + minutes, AdminHarness.READ, null);
            assertEquals(400, r.status(), minutes);
            assertTrue(r.json().get("error").asText().contains("minutes must be a number between 1 and 60"), r.body());
        }
    }

    @Test
    void theConfigurationIsShownWithEverySecretRedacted() throws Exception {
        var r = hub.call("GET", "/api/v1/config", AdminHarness.READ, null);
        assertEquals(200, r.status());
        for (String secret : List.of(AdminHarness.WRITE, AdminHarness.READ, WS_TOKEN))
            assertFalse(r.body().contains(secret), "the answer holds a secret: " + r.body());
        JsonNode config = r.json().get("config");
        assertEquals("***", config.get("channels").get("websocket").get("token").asText());
        assertEquals(
                "***", config.get("admin").get("tokens").get(0).get("token").asText());
        assertEquals(
                "admin.read",
                config.get("admin").get("tokens").get(0).get("scopes").get(0).asText(),
                "what is no secret stays readable");
        assertEquals(65536, config.get("server").get("maxRequestBytes").asInt());
        assertTrue(r.json().get("reload").isNull(), "no file is watched: " + r.body());
    }

    @Test
    @Timeout(60)
    void theEventStreamSendsTheChannelsThenAFailureAsItHappens() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.hub.port() + "/api/v1/events"))
                .header("Authorization", "Bearer " + AdminHarness.READ)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                r.headers().map().toString());
        Iterator<String> lines = r.body().iterator();
        assertEquals("event: channels", next(lines, "event:"));
        String snapshot = next(lines, "data:");
        assertTrue(
                snapshot.contains("\"name\":\"fakeplatform\"") && snapshot.contains("\"state\":\"running\""), snapshot);

        breakable.created.get().breakWith("the platform revoked the token");
        assertEquals("event: channel.status", next(lines, "event:"));
        JsonNode change = AdminHarness.JSON.readTree(next(lines, "data:").substring("data:".length()));
        assertEquals("fakeplatform", change.get("channel").asText());
        assertEquals("failed", change.get("state").asText());
        assertEquals("the platform revoked the token", change.get("last_error").asText());
    }

    private static String next(Iterator<String> lines, String prefix) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith(prefix)) return line;
        }
        throw new AssertionError("the stream ended before a line starting with " + prefix);
    }

    @Test
    void aRejectedReloadShowsItsProblemsBesideTheConfigurationInForce() throws Exception {
        hub.close();
        Path file = dir.resolve("watched.yaml");
        Files.writeString(file, "server:\n  port: 0\nstore:\n  dataDir: " + dir.resolve("data2") + "\n");
        var config = new io.connectorhub.config.ConfigLoader(Map.of()).load(file);
        try (Hub watched = Hub.start(config, file, Clock.systemUTC())) {
            String token = Files.readString(dir.resolve("data2/admin.token")).strip();
            Files.writeString(file, "server:\n  port: seventy\n");
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watched.port() + "/api/v1/config"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = AdminHarness.JSON.readTree(r.body());
            assertEquals(file.toString(), body.get("file").asText());
            assertFalse(body.get("reload").get("ok").asBoolean(), r.body());
            assertEquals(
                    "server.port",
                    body.get("reload").get("problems").get(0).get("path").asText(),
                    r.body());
            assertEquals(0, body.get("config").get("server").get("port").asInt(), "the configuration in force stays");
        }
    }

    private JsonNode websocketSeries() throws Exception {
        return hub.ok("GET", "/api/v1/stats/series?minutes=60", null)
                .get("channels")
                .get("websocket");
    }

    private static int sum(JsonNode channel, String series, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) n += channel.get(series).get(i).asInt();
        return n;
    }
}
