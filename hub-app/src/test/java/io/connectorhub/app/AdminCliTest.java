package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands ({@code status}, {@code webhooks}, {@code hooks}, ...) against a running hub. */
class AdminCliTest {
    @TempDir
    Path dir;

    private CliRun run(AdminHarness hub, String token, String... args) {
        return CliRun.of(Map.of("HUB_URL", "http://127.0.0.1:" + hub.hub.port(), "HUB_ADMIN_TOKEN", token), dir, args);
    }

    private static JsonNode json(CliRun r) throws Exception {
        assertEquals(0, r.exit(), r.toString());
        return AdminHarness.JSON.readTree(r.out());
    }

    @Test
    void showsTheStatusAndTheStats() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "", Clock.systemUTC())) {
            CliRun status = run(hub, AdminHarness.READ, "status");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("websocket") && status.out().contains("running"), status.out());
            assertEquals(
                    "ok",
                    json(run(hub, AdminHarness.READ, "status", "--json"))
                            .get("status")
                            .asText());

            CliRun stats = run(hub, AdminHarness.READ, "stats");
            assertEquals(0, stats.exit(), stats.toString());
            assertTrue(stats.out().startsWith("channel"), stats.out());
            assertTrue(json(run(hub, AdminHarness.READ, "stats", "--json")).has("channels"));
        }
    }

    @Test
    void managesWebhooks() throws Exception {
        try (AdminHarness hub =
                AdminHarness.start(dir, "webhooks:\n  allowPrivateTargets: true\n", Clock.systemUTC())) {
            CliRun added = run(
                    hub,
                    AdminHarness.WRITE,
                    "webhooks",
                    "add",
                    "http://127.0.0.1:9/events",
                    "--events",
                    "message.inbound,channel.status",
                    "--description",
                    "ops");
            assertEquals(0, added.exit(), added.toString());
            assertTrue(added.out().contains("whsec_"), added.out());
            String id = added.out().split(" ")[2];

            CliRun list = run(hub, AdminHarness.READ, "webhooks", "list");
            assertTrue(list.out().contains(id) && list.out().contains("message.inbound,channel.status"), list.out());
            JsonNode listed = json(run(hub, AdminHarness.READ, "webhooks", "list", "--json"));
            assertEquals(id, listed.get("webhooks").get(0).get("id").asText());
            assertFalse(listed.toString().contains("whsec_"), "list shows no secret");
            assertEquals(
                    "ops",
                    json(run(hub, AdminHarness.READ, "webhooks", "show", id, "--json"))
                            .get("description")
                            .asText());

            CliRun updated = run(hub, AdminHarness.WRITE, "webhooks", "update", id, "--events", "*");
            assertTrue(
                    updated.out().startsWith("Updated webhook " + id)
                            && updated.out().contains("  *  "),
                    updated.toString());
            assertEquals(
                    2, run(hub, AdminHarness.WRITE, "webhooks", "update", id).exit());

            CliRun disabled = run(hub, AdminHarness.WRITE, "webhooks", "disable", id);
            assertTrue(disabled.out().contains("disabled"), disabled.toString());
            CliRun refused = run(hub, AdminHarness.WRITE, "webhooks", "test", id);
            assertEquals(1, refused.exit(), refused.toString());
            assertEquals(
                    "hub: POST /api/v1/webhooks/" + id + "/test answered 409: webhook " + id
                            + " is disabled; enable it with PATCH first\n",
                    refused.err());
            assertTrue(
                    run(hub, AdminHarness.WRITE, "webhooks", "enable", id).out().contains("enabled"));

            CliRun tested = run(hub, AdminHarness.WRITE, "webhooks", "test", id);
            assertTrue(tested.out().contains("msg_"), tested.toString());
            String delivery = tested.out().split(" ")[3].replace(";", "");
            JsonNode deliveries = json(run(hub, AdminHarness.READ, "webhooks", "deliveries", id, "--json"));
            assertEquals(delivery, deliveries.get("deliveries").get(0).get("id").asText());
            assertEquals(
                    "webhook.test",
                    deliveries.get("deliveries").get(0).get("event").asText());
            assertTrue(run(hub, AdminHarness.READ, "webhooks", "deliveries", id, "--limit", "1")
                    .out()
                    .startsWith(delivery + "  webhook.test"));

            JsonNode rotated = json(run(hub, AdminHarness.WRITE, "webhooks", "rotate-secret", id, "--json"));
            assertTrue(rotated.get("secret").asText().startsWith("whsec_"));
            assertTrue(rotated.has("previousSecretValidUntil"));

            CliRun readOnly = run(hub, AdminHarness.READ, "webhooks", "rm", id);
            assertEquals(1, readOnly.exit());
            assertTrue(readOnly.err().contains("403"), readOnly.err());
            assertEquals(0, run(hub, AdminHarness.WRITE, "webhooks", "rm", id).exit());
            CliRun gone = run(hub, AdminHarness.WRITE, "webhooks", "rm", id);
            assertEquals(1, gone.exit());
            assertEquals(
                    "hub: DELETE /api/v1/webhooks/" + id + " answered 404: webhook " + id + " not found\n", gone.err());
        }
    }

    @Test
    void managesHooksAndSessions() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "", Clock.systemUTC())) {
            JsonNode hook = json(run(hub, AdminHarness.WRITE, "hooks", "add", "--description", "CI", "--json"));
            String id = hook.get("id").asText();
            assertTrue(hook.has("token") && hook.get("secret").asText().startsWith("whsec_"));
            CliRun list = run(hub, AdminHarness.READ, "hooks", "list");
            assertTrue(list.out().contains(id) && list.out().contains("CI"), list.out());

            String path = "/hooks/" + id;
            JsonNode accepted = hub.call("POST", path, hook.get("token").asText(), Map.of("text", "hi"))
                    .json();
            String status = path + "/messages/" + accepted.get("message_id").asText();
            await().until(() -> hub.call("GET", status, hook.get("token").asText(), null)
                    .json()
                    .path("status")
                    .asText()
                    .equals("answered"));

            String session = "hooks:" + id + ":main";
            CliRun sessions = run(hub, AdminHarness.READ, "sessions", "list", "--prefix", "hooks:");
            assertTrue(
                    sessions.out().startsWith(session) && sessions.out().contains("2 messages"), sessions.toString());
            assertEquals(
                    0,
                    json(run(hub, AdminHarness.READ, "sessions", "list", "--prefix", "telegram:", "--json"))
                            .get("sessions")
                            .size());
            CliRun shown = run(hub, AdminHarness.READ, "sessions", "show", session);
            assertTrue(shown.out().contains("user      hi"), shown.toString());
            JsonNode last = json(run(hub, AdminHarness.READ, "sessions", "show", session, "--limit", "1", "--json"));
            assertEquals(1, last.get("messages").size());
            assertEquals("assistant", last.get("messages").get(0).get("role").asText());

            assertEquals(
                    0, run(hub, AdminHarness.WRITE, "sessions", "rm", session).exit());
            assertEquals(
                    1, run(hub, AdminHarness.READ, "sessions", "show", session).exit());
            assertEquals(0, run(hub, AdminHarness.WRITE, "hooks", "rm", id).exit());
            assertTrue(run(hub, AdminHarness.READ, "hooks", "list").out().contains("no hooks"));
        }
    }

    @Test
    void managesGatewaysWithoutShowingTheirTokens() throws Exception {
        try (AdminHarness hub =
                AdminHarness.start(dir, "gateways:\n  allowPrivateTargets: true\n", Clock.systemUTC())) {
            CliRun added =
                    run(hub, AdminHarness.WRITE, "gateways", "add", "gpu-box", "http://127.0.0.1:9", "--weight", "3");
            assertEquals(0, added.exit(), added.toString());
            String token = added.out().replaceAll("(?s).*Gateway token \\(shown this once\\): (\\S+)\n.*", "$1");
            assertTrue(token.length() >= 32, added.out());
            assertTrue(added.out().contains("gpu-box  http://127.0.0.1:9  weight 3  offline"), added.out());

            JsonNode listed = json(run(hub, AdminHarness.READ, "gateways", "list", "--json"));
            assertEquals("gpu-box", listed.get("gateways").get(0).get("name").asText());
            assertFalse(listed.toString().contains(token));
            CliRun shown = run(hub, AdminHarness.READ, "gateways", "show", "gpu-box");
            assertTrue(
                    shown.out().startsWith("gpu-box  http://127.0.0.1:9  weight 3  offline  last heartbeat"),
                    shown.toString());

            CliRun duplicate = run(
                    hub,
                    AdminHarness.WRITE,
                    "gateways",
                    "add",
                    "gpu-box",
                    "http://127.0.0.1:9",
                    "--token",
                    "another-token-0123456789");
            assertEquals(1, duplicate.exit());
            assertTrue(duplicate.err().contains("409: a gateway named gpu-box exists"), duplicate.err());

            assertEquals(
                    0, run(hub, AdminHarness.WRITE, "gateways", "rm", "gpu-box").exit());
            assertTrue(run(hub, AdminHarness.READ, "gateways", "list").out().contains("no gateways"));
            CliRun missing = run(hub, AdminHarness.WRITE, "gateways", "rm", "gpu-box");
            assertEquals(
                    "hub: DELETE /api/v1/gateways/gpu-box answered 404: no gateway named gpu-box\n", missing.err());
        }
    }

    @Test
    void aChannelWithoutPlatformWebhooksIsRefusedWithTheApisReason() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "", Clock.systemUTC())) {
            CliRun r =
                    run(hub, AdminHarness.WRITE, "channels", "set-webhook", "websocket", "https://hub.example.com/x");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("409: channel websocket does not take platform webhooks"), r.err());
        }
    }

    @Test
    void aHubThatIsNotRunningGivesOneClearLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.of(
                Map.of("HUB_URL", "http://127.0.0.1:" + port, "HUB_ADMIN_TOKEN", AdminHarness.READ), dir, "status");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("hub: no hub answers at http://127.0.0.1:" + port + " (is it running? ./hub run)\n", r.err());
    }

    @Test
    void takesTheAddressAndTokenFromTheConfiguration() throws Exception {
        try (AdminHarness hub = AdminHarness.start(dir, "", Clock.systemUTC())) {
            Path file = dir.resolve("client.yaml");
            java.nio.file.Files.writeString(file, """
                    server:
                      port: %d
                    admin:
                      tokens:
                        - {token: %s, scopes: [admin.read]}
                    """.formatted(hub.hub.port(), AdminHarness.READ));
            CliRun r = CliRun.of(Map.of("HUB_CONFIG", file.toString()), dir, "status");
            assertEquals(0, r.exit(), r.toString());
        }
    }
}
