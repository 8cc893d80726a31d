package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents in the assembled hub: an LLM streamed to a WebSocket client, hot reload, a remote gateway task. */
class AgentsEndToEndTest {
    private static final String WS_TOKEN = "ws-token-0123456789abcdef";
    private static final String GATEWAY_TOKEN = "gateway-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private WireMockServer remote;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        remote = new WireMockServer(wireMockConfig().dynamicPort());
        remote.start();
    }

    @AfterEach
    void stop() {
        remote.stop();
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("hub.yaml");
        Path tmp = dir.resolve("hub.yaml.tmp");
        Files.writeString(
                tmp,
                "server:\n  port: 0\nstore:\n  dataDir: " + dir.resolve("data") + "\nchannels:\n  websocket:\n"
                        + "    token: " + WS_TOKEN + "\n" + yaml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private Hub start(Path file) throws Exception {
        return Hub.start(new ConfigLoader(Map.of()).load(file), file, Clock.systemUTC());
    }

    private String llmAgents(String defaultAgent) {
        return """
                agents:
                  gpt:
                    type: openai
                    baseUrl: %s/v1
                    model: test-model
                    maxRetries: 0
                  far:
                    type: remote
                    timeout: 20s
                routing:
                  defaultAgent: %s
                gateways:
                  allowPrivateTargets: true
                """.formatted(remote.baseUrl(), defaultAgent);
    }

    private HttpResponse<String> send(int port, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsAnLlmReplyToAWebSocketClientAndSwitchesAgentsWhenTheFileChanges() throws Exception {
        remote.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody("""
                                data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}

                                data: {"choices":[{"index":0,"delta":{"content":", "}}]}

                                data: {"choices":[{"index":0,"delta":{"content":"world"}}]}

                                data: [DONE]

                                """)));
        Path file = write(llmAgents("gpt"));
        try (Hub hub = start(file);
                WsTestClient ws = WsTestClient.authorized(hub.port(), WS_TOKEN)) {
            JsonNode reply = ws.result("chat.send_stream", Map.of("text", "hi"));
            assertEquals("Hello, world", reply.get("text").asText());
            List<String> deltas = ws.events().stream()
                    .filter(e -> e.at("/params/type").asText().equals("chat.delta"))
                    .map(e -> e.at("/params/delta").asText())
                    .toList();
            // The loop passes the first piece on at once and coalesces the rest (agentLoop delta interval).
            assertEquals("Hello", deltas.getFirst());
            assertEquals("Hello, world", String.join("", deltas));

            write(llmAgents("builtin"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ws.result("chat.send", Map.of("text", "who?"))
                            .get("text")
                            .asText()
                            .startsWith("You said: who?"));

            // A broken edit is refused; the built-in agent keeps answering.
            write(llmAgents("nobody"));
            assertTrue(ws.result("chat.send", Map.of("text", "still?"))
                    .get("text")
                    .asText()
                    .startsWith("You said: still?"));
        }
    }

    @Test
    void aFailingProviderCostsTheUserAnApologyOnly() throws Exception {
        remote.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(500)));
        try (Hub hub = start(write(llmAgents("gpt")));
                WsTestClient ws = WsTestClient.authorized(hub.port(), WS_TOKEN)) {
            assertTrue(ws.result("chat.send", Map.of("text", "hi"))
                    .get("text")
                    .asText()
                    .startsWith("Sorry, something went wrong"));
        }
    }

    @Test
    void answersThroughARegisteredRemoteGateway() throws Exception {
        remote.stubFor(post("/gw/tasks").willReturn(aResponse().withStatus(202)));
        try (Hub hub = start(write(llmAgents("far")));
                WsTestClient ws = WsTestClient.authorized(hub.port(), WS_TOKEN)) {
            String admin = Files.readString(dir.resolve("data/admin.token")).strip();
            assertEquals(
                    201,
                    send(
                                    hub.port(),
                                    "POST",
                                    "/api/v1/gateways",
                                    admin,
                                    "{\"name\":\"gw\",\"url\":\"" + remote.baseUrl() + "/gw\",\"token\":\""
                                            + GATEWAY_TOKEN + "\"}")
                            .statusCode());
            assertEquals(
                    200,
                    send(hub.port(), "POST", "/api/v1/gateways/gw/heartbeat", GATEWAY_TOKEN, null)
                            .statusCode());

            int id = ws.request("chat.send", Map.of("text", "ask the gateway"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !remote.getAllServeEvents().isEmpty());
            JsonNode task =
                    JSON.readTree(remote.getAllServeEvents().get(0).getRequest().getBodyAsString());
            assertEquals("ask the gateway", task.get("text").asText());
            String callback = task.get("callback_url").asText();
            assertTrue(callback.startsWith("http://127.0.0.1:" + hub.port() + "/api/v1/agent-callbacks/"), callback);

            HttpResponse<String> done = send(
                    hub.port(),
                    "POST",
                    URI.create(callback).getPath(),
                    task.get("callback_token").asText(),
                    "{\"text\":\"the gateway says hi\"}");
            assertEquals(200, done.statusCode(), done.body());
            assertEquals(
                    "the gateway says hi",
                    ws.response(id).get("result").get("text").asText());
        }
    }
}
