package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent a WebSocket client chooses per message ({@code params.agent}) or per session ({@code POST
 * /api/v1/me/sessions {agent}}), among {@code routing.choosable}: the built-in echo agent and a fake LLM.
 */
class AgentChoiceTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String SHARED = "shared-token-0123456789abcdef";

    @TempDir
    Path dir;

    private final WireMockServer llm =
            new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    private AdminHarness hub;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        llm.start();
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody("""
                                data: {"choices":[{"index":0,"delta":{"content":"Answered by the fake LLM"}}]}

                                data: [DONE]

                                """)));
        hub = AdminHarness.start(dir, """
                channels:
                  websocket: {token: %s, pingInterval: 1h}
                agents:
                  fake: {type: openai, baseUrl: "%s/v1", model: test-model, maxRetries: 0}
                  hidden: {type: builtin}
                routing:
                  choosable: [builtin, fake]
                """.formatted(SHARED, llm.baseUrl()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        hub.close();
        llm.stop();
    }

    private String user(String name) throws Exception {
        return hub.newUserToken(name, PASSWORD);
    }

    private WsTestClient client(String token) {
        WsTestClient c = WsTestClient.authorized(hub.hub.port(), token);
        open.add(c);
        return c;
    }

    @Test
    void aMessageGoesToTheAgentItNamesAndAnUnknownOrHiddenAgentIsAClearError() {
        WsTestClient c = client(SHARED);
        assertTrue(
                c.result("chat.send", Map.of("text", "hi")).get("text").asText().startsWith("You said: hi"));
        assertEquals(
                "Answered by the fake LLM",
                c.result("chat.send", Map.of("text", "hi", "agent", "fake"))
                        .get("text")
                        .asText());
        assertEquals(
                "Answered by the fake LLM",
                c.result("chat.send_stream", Map.of("text", "hi", "agent", "fake", "session_key", "s2"))
                        .get("text")
                        .asText());

        for (String refused : List.of("nobody", "hidden")) {
            JsonNode error =
                    c.call("chat.send", Map.of("text", "hi", "agent", refused)).get("error");
            assertEquals(-32602, error.get("code").asInt(), error.toString());
            String message = error.get("message").asText();
            assertTrue(message.contains("params.agent " + refused) && message.contains("[builtin, fake]"), message);
        }
    }

    @Test
    void aSessionMadeForAnAgentIsAnsweredByItAndShowsIt() throws Exception {
        String ann = user("ann");
        AdminHarness.Reply made =
                hub.call("POST", "/api/v1/me/sessions", ann, Map.of("title", "Ask the LLM", "agent", "fake"));
        assertEquals(201, made.status(), made.body());
        assertEquals("fake", made.json().get("agent").asText());
        String key = made.json().get("session_key").asText();

        JsonNode one = hub.call("GET", "/api/v1/me/sessions/" + key, ann, null).json();
        assertEquals("fake", one.get("agent").asText(), one.toString());
        assertEquals("Ask the LLM", one.get("title").asText());
        JsonNode listed = hub.call("GET", "/api/v1/me/sessions", ann, null)
                .json()
                .get("sessions")
                .get(0);
        assertEquals("fake", listed.get("agent").asText(), listed.toString());
        assertEquals(
                404, hub.call("GET", "/api/v1/me/sessions/s-nothere", ann, null).status());

        WsTestClient c = client(ann);
        assertEquals(
                "Answered by the fake LLM",
                c.result("chat.send", Map.of("text", "hi", "session_key", key))
                        .get("text")
                        .asText());
        assertTrue(c.result("chat.send", Map.of("text", "hi", "session_key", key, "agent", "builtin"))
                .get("text")
                .asText()
                .startsWith("You said: hi"));

        AdminHarness.Reply hidden = hub.call("POST", "/api/v1/me/sessions", ann, Map.of("agent", "hidden"));
        assertEquals(400, hidden.status(), hidden.body());
        assertTrue(hidden.body().contains("agent hidden is not one you may choose"), hidden.body());
    }
}
