package io.connectorhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/agents}: the agents signed-in users may choose, with their gateways' state. */
class AgentsApiTest {
    private static final String GATEWAY_TOKEN = "gateway-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void signedInUsersSeeTheChoosableAgentsAndTheirGatewaysWithoutSecrets() throws Exception {
        String yaml = """
                auth: {registration: open}
                agents:
                  gpt: {type: openai, baseUrl: "http://127.0.0.1:9/v1", apiKey: sk-secret-key, model: gpt-4o-mini}
                  far: {type: remote, gateways: [home]}
                routing:
                  choosable: [builtin, far]
                gateways:
                  allowPrivateTargets: true
                """;
        try (AdminHarness hub = AdminHarness.start(dir, yaml, Clock.systemUTC())) {
            for (String name : new String[] {"home", "office"})
                hub.ok(
                        "POST",
                        "/api/v1/gateways",
                        Map.of("name", name, "url", "http://127.0.0.1:9/" + name, "token", GATEWAY_TOKEN + name));
            assertEquals(
                    200,
                    hub.call("POST", "/api/v1/gateways/home/heartbeat", GATEWAY_TOKEN + "home", null)
                            .status());
            assertEquals(401, hub.call("GET", "/api/v1/agents", null, null).status());

            String token = hub.call(
                            "POST",
                            "/api/v1/auth/register",
                            null,
                            Map.of("username", "ann", "password", "correct horse battery"))
                    .json()
                    .get("access_token")
                    .asText();
            AdminHarness.Reply list = hub.call("GET", "/api/v1/agents", token, null);
            assertEquals(200, list.status(), list.body());
            JsonNode agents = list.json().get("agents");
            assertEquals(2, agents.size(), agents.toString());
            assertEquals("builtin", agents.get(0).get("id").asText());
            assertTrue(agents.get(0).get("is_default").asBoolean());
            JsonNode far = agents.get(1);
            assertEquals("remote", far.get("type").asText());
            assertEquals(1, far.get("gateways").size(), "only the gateways it may use: " + far);
            assertEquals("home", far.get("gateways").get(0).get("name").asText());
            assertTrue(far.get("gateways").get(0).get("online").asBoolean());
            assertFalse(list.body().contains("127.0.0.1") || list.body().contains("secret"), list.body());

            assertEquals(404, hub.call("GET", "/api/v1/agents/gpt", token, null).status(), "not choosable");
            assertEquals(
                    "builtin",
                    hub.call("GET", "/api/v1/agents/builtin", token, null)
                            .json()
                            .get("type")
                            .asText());
        }
    }
}
