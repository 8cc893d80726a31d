package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API of the assembled hub: authentication on every route, status, stats, sessions, metrics. */
class AdminApiTest {
    private static final List<String> READS = List.of(
            "GET /api/v1/status",
            "GET /api/v1/stats",
            "GET /api/v1/sessions",
            "GET /api/v1/sessions/x/messages",
            "GET /metrics",
            "GET /api/v1/webhooks",
            "GET /api/v1/webhooks/x",
            "GET /api/v1/webhooks/x/deliveries",
            "GET /api/v1/hooks",
            "GET /api/v1/gateways",
            "GET /api/v1/gateways/x");
    private static final List<String> WRITES = List.of(
            "POST /api/v1/webhooks",
            "PATCH /api/v1/webhooks/x",
            "DELETE /api/v1/webhooks/x",
            "POST /api/v1/webhooks/x/rotate-secret",
            "POST /api/v1/webhooks/x/test",
            "DELETE /api/v1/sessions/x",
            "POST /api/v1/channels/x/webhook",
            "DELETE /api/v1/channels/x/webhook",
            "POST /api/v1/hooks",
            "DELETE /api/v1/hooks/x",
            "POST /api/v1/gateways",
            "DELETE /api/v1/gateways/x");

    @TempDir
    Path dir;

    private AdminHarness hub;

    @BeforeEach
    void start() throws Exception {
        var config = AdminHarness.config(dir, "", List.of(new FakePlatformChannel.Factory()));
        hub = AdminHarness.start(config, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private AdminHarness.Reply call(String route, String token) throws Exception {
        String[] parts = route.split(" ");
        return hub.call(parts[0], parts[1], token, parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}");
    }

    @Test
    void everyAdminRouteRefusesAMissingOrWrongTokenAndWritesNeedTheWriteScope() throws Exception {
        for (String route : concat(READS, WRITES)) {
            assertEquals(401, call(route, null).status(), route + " without a token");
            assertEquals(401, call(route, "wrong-token-0123456789abcdef").status(), route + " with a wrong token");
        }
        for (String route : WRITES)
            assertEquals(403, call(route, AdminHarness.READ).status(), route);
        for (String route : READS) {
            int status = call(route, AdminHarness.READ).status();
            assertTrue(status == 200 || status == 404, route + " answered " + status);
        }
        assertEquals(200, hub.call("GET", "/health", null, null).status());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void reportsStatusStatsSessionsAndMetrics() throws Exception {
        JsonNode hook = hub.ok("POST", "/api/v1/hooks", Map.of("description", "ci"));
        String path = "/hooks/" + hook.get("id").asText();
        JsonNode accepted = hub.call("POST", path, hook.get("token").asText(), Map.of("text", "hi"))
                .json();
        String status = path + "/messages/" + accepted.get("message_id").asText();
        await().until(() -> hub.call("GET", status, hook.get("token").asText(), null)
                .json()
                .get("status")
                .asText()
                .equals("answered"));

        JsonNode s = hub.ok("GET", "/api/v1/status", null);
        assertEquals("ok", s.get("status").asText());
        assertTrue(s.get("uptimeSeconds").asLong() >= 0);
        assertTrue(s.has("version"));
        assertTrue(s.get("queues").has("inbound") && s.get("queues").has("webhookDeliveries"));
        List<String> names = names(s.get("channels"));
        assertTrue(names.containsAll(List.of("websocket", "hooks", FakePlatformChannel.NAME)), names.toString());

        JsonNode stats = hub.ok("GET", "/api/v1/stats", null).get("channels").get("hooks");
        assertEquals(1, stats.get("inbound").asInt());
        assertEquals(1, stats.get("outbound").asInt());

        String session = "hooks:" + hook.get("id").asText() + ":main";
        JsonNode sessions = hub.ok("GET", "/api/v1/sessions", null).get("sessions");
        assertEquals(session, sessions.get(0).get("sessionKey").asText());
        JsonNode messages =
                hub.ok("GET", "/api/v1/sessions/" + session + "/messages", null).get("messages");
        assertEquals(2, messages.size());
        assertEquals("hi", messages.get(0).get("content").asText());

        Prometheus metrics = Prometheus.parse(
                hub.call("GET", "/metrics", AdminHarness.READ, null).body());
        assertEquals(1, metrics.value("hub_messages_total", Map.of("channel", "hooks", "outcome", "inbound")));
        assertEquals(1, metrics.value("hub_channel_up", Map.of("channel", "websocket")));

        assertEquals(
                204,
                hub.call("DELETE", "/api/v1/sessions/" + session, AdminHarness.WRITE, null)
                        .status());
        assertEquals(
                404,
                hub.call("DELETE", "/api/v1/sessions/" + session, AdminHarness.WRITE, null)
                        .status());
        assertEquals(
                404,
                hub.call("GET", "/api/v1/sessions/" + session + "/messages", AdminHarness.READ, null)
                        .status());
    }

    @Test
    void metricsShowTheHubsSeriesTheJvmHttpRequestsAndBothLatencyHistogramsLabelledHubInstanceNotInstance()
            throws Exception {
        JsonNode hook = hub.ok("POST", "/api/v1/hooks", Map.of("description", "ci"));
        String path = "/hooks/" + hook.get("id").asText();
        String token = hook.get("token").asText();
        JsonNode accepted = hub.call("POST", path, token, Map.of("text", "hi")).json();
        String status = path + "/messages/" + accepted.get("message_id").asText();
        await().until(() -> hub.call("GET", status, token, null)
                .json()
                .get("status")
                .asText()
                .equals("answered"));
        String session = "hooks:" + hook.get("id").asText() + ":main";
        hub.ok("GET", "/api/v1/sessions/" + session + "/messages", null);
        assertEquals(
                404, hub.call("GET", "/no/such/page/" + session, null, null).status());

        await().until(() ->
                Prometheus.parse(scrape().body()).has("hub_message_latency_seconds_count", Map.of("channel", "hooks")));
        AdminHarness.Reply reply = scrape();
        assertEquals(
                List.of("text/plain; version=0.0.4; charset=utf-8"),
                reply.headers().get("content-type"));
        String text = reply.body();
        Prometheus metrics = Prometheus.parse(text);

        assertEquals(1, metrics.value("hub_messages_total", Map.of("channel", "hooks", "outcome", "inbound")));
        assertEquals(1, metrics.value("hub_messages_total", Map.of("channel", "hooks", "outcome", "outbound")));
        assertEquals(1, metrics.value("hub_channel_up", Map.of("channel", "websocket")));
        assertEquals(1, metrics.value("hub_channel_up", Map.of("channel", "hooks")));
        for (String queue : List.of("inbound", "outbound", "webhook_deliveries"))
            assertTrue(metrics.has("hub_queue_depth", Map.of("queue", queue)), queue);
        assertTrue(metrics.value("hub_uptime_seconds", Map.of()) >= 0);

        assertEquals(1, metrics.value("hub_message_latency_seconds_count", Map.of("channel", "hooks")));
        assertTrue(metrics.has("hub_message_latency_seconds_bucket", Map.of("channel", "hooks", "le", "+Inf")));
        assertEquals(1, metrics.value("hub_agent_call_seconds_count", Map.of("agent", "builtin", "outcome", "ok")));
        assertEquals(
                1,
                metrics.value(
                        "hub_agent_call_seconds_bucket", Map.of("agent", "builtin", "outcome", "ok", "le", "+Inf")));

        Map<String, String> sessionRoute =
                Map.of("method", "GET", "route", "/api/v1/sessions/{key}/messages", "status", "200");
        assertEquals(1, metrics.value("http_server_requests_seconds_count", sessionRoute));
        assertTrue(metrics.has("http_server_requests_seconds_sum", sessionRoute));
        assertEquals(
                1,
                metrics.value(
                        "http_server_requests_seconds_count",
                        Map.of("method", "GET", "route", "NOT_FOUND", "status", "404")));
        assertFalse(text.contains(session), "raw paths are no label values");

        for (String jvm : List.of(
                "jvm_memory_used_bytes",
                "jvm_threads_live_threads",
                "jvm_classes_loaded_classes",
                "system_cpu_count",
                "jvm_gc_memory_allocated_bytes_total"))
            assertTrue(metrics.names().contains(jvm), jvm + " missing from " + metrics.names());

        assertFalse(text.contains("{instance=") || text.contains(",instance="), "Prometheus owns the instance label");
    }

    private AdminHarness.Reply scrape() throws Exception {
        return hub.call("GET", "/metrics", AdminHarness.READ, null);
    }

    private static List<String> names(JsonNode channels) {
        List<String> out = new java.util.ArrayList<>();
        channels.forEach(c -> out.add(c.get("name").asText()));
        return out;
    }

    @Test
    void badInputIsAnsweredWith400NamingTheField404ForUnknownIdsAnd413ForLargeBodies() throws Exception {
        AdminHarness.Reply notJson = hub.call("POST", "/api/v1/webhooks", AdminHarness.WRITE, "{nope");
        assertEquals(400, notJson.status());
        assertTrue(notJson.json().get("error").asText().contains("not valid JSON"));
        AdminHarness.Reply noUrl =
                hub.call("POST", "/api/v1/webhooks", AdminHarness.WRITE, Map.of("events", List.of("*")));
        assertEquals(400, noUrl.status());
        assertTrue(noUrl.json().get("error").asText().startsWith("url is required"), noUrl.body());
        AdminHarness.Reply badEvent = hub.call(
                "POST",
                "/api/v1/webhooks",
                AdminHarness.WRITE,
                Map.of("url", "https://93.184.216.34/x", "events", List.of("message.sideways")));
        assertEquals(400, badEvent.status());
        assertTrue(badEvent.json().get("error").asText().startsWith("events contains unknown event"));
        AdminHarness.Reply badLimit = hub.call("GET", "/api/v1/sessions?limit=0", AdminHarness.READ, null);
        assertEquals(400, badLimit.status());
        assertTrue(badLimit.json().get("error").asText().startsWith("limit "));

        assertEquals(
                404,
                hub.call("GET", "/api/v1/webhooks/wh_nope", AdminHarness.READ, null)
                        .status());
        assertEquals(
                404,
                hub.call("PATCH", "/api/v1/webhooks/wh_nope", AdminHarness.WRITE, Map.of("enabled", false))
                        .status());
        assertEquals(
                404,
                hub.call("DELETE", "/api/v1/hooks/hook_nope", AdminHarness.WRITE, null)
                        .status());
        assertEquals(
                404,
                hub.call("POST", "/hooks/hook_nope", "t", Map.of("text", "x")).status());

        AdminHarness.Reply large =
                hub.call("POST", "/api/v1/webhooks", AdminHarness.WRITE, Map.of("url", "x".repeat(100_000)));
        assertEquals(413, large.status());
    }

    @Test
    void registersAndRemovesAPlatformWebhookAndShowsItInTheStatus() throws Exception {
        String route = "/api/v1/channels/" + FakePlatformChannel.NAME + "/webhook";
        JsonNode registered = hub.ok("POST", route, Map.of("url", "https://hub.example.com/telegram/webhook"));
        assertEquals("webhook", registered.get("mode").asText());
        JsonNode channel = channel(FakePlatformChannel.NAME);
        assertEquals(
                "https://hub.example.com/telegram/webhook",
                channel.get("webhook").get("url").asText());
        assertTrue(channel.get("webhook").get("verified").asBoolean());

        assertEquals("polling", hub.ok("DELETE", route, null).get("mode").asText());
        assertEquals(
                "polling",
                channel(FakePlatformChannel.NAME).get("webhook").get("mode").asText());

        AdminHarness.Reply refused =
                hub.call("POST", route, AdminHarness.WRITE, Map.of("url", "https://h.example.com:9999/x"));
        assertEquals(400, refused.status());
        assertTrue(refused.json().get("error").asText().startsWith("url "), refused.body());
        assertEquals(400, hub.call("POST", route, AdminHarness.WRITE, Map.of()).status());
        assertEquals(
                409,
                hub.call(
                                "POST",
                                "/api/v1/channels/websocket/webhook",
                                AdminHarness.WRITE,
                                Map.of("url", "https://h.example.com/x"))
                        .status());
        assertEquals(
                404,
                hub.call(
                                "POST",
                                "/api/v1/channels/nope/webhook",
                                AdminHarness.WRITE,
                                Map.of("url", "https://h.example.com/x"))
                        .status());
    }

    private JsonNode channel(String name) throws Exception {
        for (JsonNode c : hub.ok("GET", "/api/v1/status", null).get("channels"))
            if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no channel " + name);
    }

    @Test
    void generatesAnAdminTokenWhenNoneIsConfigured(@TempDir Path other) throws Exception {
        Path file = other.resolve("hub.yaml");
        Files.writeString(file, "server:\n  port: 0\nstore:\n  dataDir: " + other.resolve("data") + "\n");
        try (Hub plain = Hub.start(new ConfigLoader(Map.of()).load(file), Clock.systemUTC())) {
            String token = Files.readString(other.resolve("data/admin.token")).strip();
            assertTrue(token.length() >= 32, token);
            var reply = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + plain.port() + "/api/v1/status"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode());
        }
    }
}
