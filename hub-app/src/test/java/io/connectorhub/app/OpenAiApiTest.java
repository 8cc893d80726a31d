package io.connectorhub.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.testing.LogCapture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible API in the assembled hub, spoken to over real HTTP as OpenAI's SDKs speak it. */
class OpenAiApiTest {
    private static final String LAPTOP_KEY = "test-laptop-notarealkey00000notarealkeyabcdef";
    private static final String NARROW_KEY = "test-narrow-notarealkey00000notarealkeyabcdef";
    private static final String OUTSIDER_KEY = "test-outsider-notarealkey00000notarealkeyabcd";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer llm;

    @BeforeEach
    void startLlm() {
        llm = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        llm.start();
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"choices":[{"index":0,"message":{"role":"assistant","content":"from gpt"},\
                                "finish_reason":"stop"}]}""")));
    }

    @AfterEach
    void stopLlm() {
        llm.stop();
    }

    private HubConfig config(String extra) throws Exception {
        return config("", extra);
    }

    /**
     * Routing sends everything to the built-in agent; gpt answers only when a request names it.
     *
     * @param channelExtra more keys of channels.openaiApi, indented by four spaces
     */
    private HubConfig config(String channelExtra, String extra) throws Exception {
        return TestHub.config(dir, "  maxRequestBytes: 8192\n", """
                agents:
                  gpt: {type: openai, baseUrl: "%s/v1", model: m, stream: false, tools: [], maxRetries: 0}
                routing:
                  defaultAgent: builtin
                channels:
                  openaiApi:
                    enabled: true
                    allowFrom: [laptop, narrow]
                    keys:
                      - {name: laptop, key: %s}
                      - {name: narrow, key: %s, agents: [gpt]}
                      - {name: outsider, key: %s}
                %s%s""".formatted(
                        llm.baseUrl(), LAPTOP_KEY, NARROW_KEY, OUTSIDER_KEY, channelExtra, extra));
    }

    private Hub start() throws Exception {
        return start(config(""));
    }

    private static Hub start(HubConfig config) throws Exception {
        return Hub.start(config, Clock.systemUTC());
    }

    private HttpRequest.Builder request(Hub hub, String path, String key) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path));
        if (key != null) r.header("Authorization", "Bearer " + key);
        return r;
    }

    private HttpResponse<String> get(Hub hub, String path, String key) throws Exception {
        return http.send(request(hub, path, key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(Hub hub, String key, String body, String... headers) throws Exception {
        HttpRequest.Builder r = request(hub, "/v1/chat/completions", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(String model, String... userMessages) throws Exception {
        List<Map<String, String>> messages = new ArrayList<>();
        for (String m : userMessages) messages.add(Map.of("role", "user", "content", m));
        return JSON.writeValueAsString(Map.of("model", model, "messages", messages));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String content(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return json(response).at("/choices/0/message/content").asText();
    }

    /** Asserts OpenAI's error shape and returns the error object. */
    private static JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).get("error");
        for (String field : List.of("message", "type", "code", "param"))
            assertTrue(error.has(field), field + " in " + error);
        return error;
    }

    @Test
    void listsTheAgentsEachKeyMayUseAsModels() throws Exception {
        try (Hub hub = start()) {
            JsonNode all = json(get(hub, "/v1/models", LAPTOP_KEY));
            assertEquals("list", all.get("object").asText());
            assertEquals(List.of("builtin", "gpt"), all.get("data").findValuesAsText("id"));
            JsonNode first = all.at("/data/0");
            assertEquals("model", first.get("object").asText());
            assertEquals("connector-hub", first.get("owned_by").asText());
            assertTrue(first.get("created").asLong() > 0);

            assertEquals(
                    List.of("gpt"),
                    json(get(hub, "/v1/models", NARROW_KEY)).get("data").findValuesAsText("id"));
            assertEquals(
                    "gpt",
                    json(get(hub, "/v1/models/gpt", NARROW_KEY)).get("id").asText());
            assertEquals(
                    "model_not_found",
                    error(get(hub, "/v1/models/builtin", NARROW_KEY), 404)
                            .get("code")
                            .asText());
        }
    }

    @Test
    void answersACompletionThroughTheBuiltinAgentInOpenAisShape() throws Exception {
        try (Hub hub = start()) {
            JsonNode reply = json(chat(hub, LAPTOP_KEY, body("builtin", "hello")));
            assertEquals("chat.completion", reply.get("object").asText());
            assertTrue(reply.get("id").asText().startsWith("chatcmpl-"), reply.toString());
            assertEquals("builtin", reply.get("model").asText());
            assertEquals(0, reply.at("/choices/0/index").asInt());
            assertEquals("assistant", reply.at("/choices/0/message/role").asText());
            assertEquals(
                    "You said: hello\n(message 1 in this conversation)",
                    reply.at("/choices/0/message/content").asText());
            assertEquals("stop", reply.at("/choices/0/finish_reason").asText());
            assertEquals(0, reply.at("/usage/total_tokens").asInt());
        }
    }

    @Test
    void theNamedModelAnswersEvenWhenRoutingWouldPickAnother() throws Exception {
        try (Hub hub = start()) {
            assertEquals("from gpt", content(chat(hub, LAPTOP_KEY, body("gpt", "who are you?"))));
            assertEquals("from gpt", content(chat(hub, NARROW_KEY, body("gpt", "and you?"))));
            assertTrue(content(chat(hub, LAPTOP_KEY, body("builtin", "you?"))).startsWith("You said: you?"));
        }
    }

    @Test
    void streamsChunksAsOpenAisSdksParseThem() throws Exception {
        try (Hub hub = start()) {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(
                    request(hub, "/v1/chat/completions", LAPTOP_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"builtin\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                                            + "\"content\":\"stream this please\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertTrue(
                    response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            List<JsonNode> chunks = new ArrayList<>();
            boolean done = false;
            // What the SDKs do: read "data:" lines, skip comments and blank lines, stop at [DONE].
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (!line.startsWith("data:")) continue;
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                chunks.add(JSON.readTree(data));
            }
            assertTrue(done, "the stream ends with data: [DONE]");
            assertEquals(
                    "assistant", chunks.getFirst().at("/choices/0/delta/role").asText());
            StringBuilder text = new StringBuilder();
            for (JsonNode c : chunks) {
                assertEquals("chat.completion.chunk", c.get("object").asText());
                assertEquals(chunks.getFirst().get("id").asText(), c.get("id").asText());
                assertEquals("builtin", c.get("model").asText());
                text.append(c.at("/choices/0/delta/content").asText(""));
            }
            assertEquals("You said: stream this please\n(message 1 in this conversation)", text.toString());
            assertEquals("stop", chunks.getLast().at("/choices/0/finish_reason").asText());
            assertTrue(chunks.get(1).at("/choices/0/finish_reason").isNull());
        }
    }

    @Test
    void takesOnlyTheLastUserMessageAndUsesTheStoredHistoryAsContext() throws Exception {
        try (Hub hub = start()) {
            assertEquals(
                    "You said: first\n(message 1 in this conversation)",
                    content(chat(hub, LAPTOP_KEY, body("builtin", "first"))));
            // The client resends the conversation, with a system message: the hub takes only the new last message.
            String resent = """
                    {"model":"builtin","messages":[{"role":"system","content":"be terse"},
                    {"role":"user","content":"first"},{"role":"assistant","content":"You said: first"},
                    {"role":"user","content":[{"type":"text","text":"second"}]}]}""";
            assertEquals("You said: second\n(message 2 in this conversation)", content(chat(hub, LAPTOP_KEY, resent)));
            List<String> stored = hub.runtime().sessions().history("openaiApi:laptop:main", 10).stream()
                    .map(m -> m.content())
                    .toList();
            assertEquals(4, stored.size(), stored.toString());
            assertEquals(List.of("first", "second"), List.of(stored.get(0), stored.get(2)));
        }
    }

    @Test
    void theConversationIsTheSessionHeaderElseTheUserFieldElseMain() throws Exception {
        try (Hub hub = start()) {
            String withUser =
                    "{\"model\":\"builtin\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}";
            assertTrue(content(chat(hub, LAPTOP_KEY, withUser)).endsWith("(message 1 in this conversation)"));
            assertTrue(content(chat(hub, LAPTOP_KEY, body("builtin", "b"), "X-Session-Key", "alice"))
                    .endsWith("(message 2 in this conversation)"));
            // The header wins over the user field.
            assertTrue(content(chat(hub, LAPTOP_KEY, withUser, "X-Session-Key", "work"))
                    .endsWith("(message 1 in this conversation)"));
            assertTrue(
                    content(chat(hub, LAPTOP_KEY, body("builtin", "c"))).endsWith("(message 1 in this conversation)"));
            // Another key's "alice" is another conversation.
            assertTrue(content(chat(hub, NARROW_KEY, body("gpt", "d"), "X-Session-Key", "alice"))
                    .equals("from gpt"));

            List<String> sessions = hub.runtime().sessions().list("openaiApi:", 10).stream()
                    .map(SessionInfo::sessionKey)
                    .sorted()
                    .toList();
            assertEquals(
                    List.of(
                            "openaiApi:laptop:alice",
                            "openaiApi:laptop:main",
                            "openaiApi:laptop:work",
                            "openaiApi:narrow:alice"),
                    sessions);
        }
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheStoredAnswerWithoutRunningTheAgentAgainAlsoAfterARestart() throws Exception {
        HubConfig config = config("");
        String first;
        try (Hub hub = start(config)) {
            first = chat(hub, LAPTOP_KEY, body("builtin", "once"), "Idempotency-Key", "req-1")
                    .body();
            assertEquals(
                    first,
                    chat(hub, LAPTOP_KEY, body("builtin", "once"), "Idempotency-Key", "req-1")
                            .body());
        }
        try (Hub hub = start(config)) {
            assertEquals(
                    first,
                    chat(hub, LAPTOP_KEY, body("builtin", "once"), "Idempotency-Key", "req-1")
                            .body());
            // Streamed, the repeat is the stored answer too.
            String streamed = chat(
                            hub,
                            LAPTOP_KEY,
                            "{\"model\":\"builtin\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"once\"}]}",
                            "Idempotency-Key",
                            "req-1")
                    .body();
            assertTrue(streamed.contains("(message 1 in this conversation)") && streamed.endsWith("data: [DONE]\n\n"));
            // The agent ran once: the next message is the conversation's second.
            assertTrue(content(chat(hub, LAPTOP_KEY, body("builtin", "next")))
                    .endsWith("(message 2 in this conversation)"));
        }
        assertTrue(JSON.readTree(first)
                .at("/choices/0/message/content")
                .asText()
                .endsWith("(message 1 in this conversation)"));
    }

    /** The LLM agent gpt answers after {@code delay} ms. */
    private void slowLlm(int delay) {
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withFixedDelay(delay)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"choices":[{"index":0,"message":{"role":"assistant","content":"slow gpt"},\
                                "finish_reason":"stop"}]}""")));
    }

    private static String streamBody(String model, String text) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\"}]}";
    }

    @Test
    void aStreamSendsKeepAliveCommentsWhileTheAgentThinks() throws Exception {
        slowLlm(1500);
        try (Hub hub = start(config("    keepAliveInterval: 200ms\n", ""))) {
            String stream =
                    chat(hub, LAPTOP_KEY, streamBody("gpt", "take your time")).body();
            assertTrue(stream.startsWith(": keep-alive\n\n"), stream);
            assertTrue(stream.contains("\"content\":\"slow gpt\"") && stream.endsWith("data: [DONE]\n\n"), stream);
        }
    }

    @Test
    void aClientThatLeavesMidAnswerLosesNothingAndItsRepeatWaitsForTheSameAnswer() throws Exception {
        slowLlm(2000);
        try (Hub hub = start()) {
            HttpRequest leaving = request(hub, "/v1/chat/completions", LAPTOP_KEY)
                    .header("Idempotency-Key", "leave-1")
                    .POST(HttpRequest.BodyPublishers.ofString(streamBody("gpt", "are you there?")))
                    .build();
            HttpResponse<InputStream> stream = http.send(leaving, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            stream.body().close(); // the client leaves while the agent thinks
            // The repeat comes while the agent still works on the first: it waits for that answer.
            assertEquals(
                    "slow gpt",
                    content(chat(hub, LAPTOP_KEY, body("gpt", "are you there?"), "Idempotency-Key", "leave-1")));
            assertEquals(
                    "slow gpt",
                    content(chat(hub, LAPTOP_KEY, body("gpt", "are you there?"), "Idempotency-Key", "leave-1")));
            assertEquals(1, llm.getAllServeEvents().size(), "the agent ran once");
            assertEquals(
                    2,
                    hub.runtime()
                            .sessions()
                            .history("openaiApi:laptop:main", 10)
                            .size());
        }
    }

    @Test
    void aSlowAnswerIsA504AndTheRepeatGetsItOnceStored() throws Exception {
        slowLlm(1500);
        try (Hub hub = start(config("    timeout: 300ms\n", ""))) {
            JsonNode timeout = error(chat(hub, LAPTOP_KEY, body("gpt", "slowly"), "Idempotency-Key", "slow-1"), 504);
            assertEquals("timeout", timeout.get("code").asText());
            assertTrue(timeout.get("message").asText().contains("same Idempotency-Key"), timeout.toString());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> chat(hub, LAPTOP_KEY, body("gpt", "slowly"), "Idempotency-Key", "slow-1")
                                    .statusCode()
                            == 200);
            assertEquals(
                    "slow gpt", content(chat(hub, LAPTOP_KEY, body("gpt", "slowly"), "Idempotency-Key", "slow-1")));
            assertEquals(1, llm.getAllServeEvents().size(), "the agent ran once");
        }
    }

    @Test
    void anAgentThatFailsIsA502NotAnApologyAsTheAnswer() throws Exception {
        llm.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(500)));
        try (Hub hub = start()) {
            JsonNode failed = error(chat(hub, LAPTOP_KEY, body("gpt", "hello"), "Idempotency-Key", "fail-1"), 502);
            assertEquals("agent_failed", failed.get("code").asText());
            assertEquals("server_error", failed.get("type").asText());
            // The repeat gets the same answer; streamed, the error is an event.
            error(chat(hub, LAPTOP_KEY, body("gpt", "hello"), "Idempotency-Key", "fail-1"), 502);
            String stream = chat(hub, LAPTOP_KEY, streamBody("gpt", "hello")).body();
            assertTrue(stream.contains("data: {\"error\":{") && stream.contains("agent_failed"), stream);
        }
    }

    @Test
    void refusesBadRequestsInOpenAisErrorShape() throws Exception {
        try (Hub hub = start()) {
            assertEquals(
                    "invalid_api_key",
                    error(chat(hub, "test-wrong-notarealkey00000notarealkeyab", body("builtin", "x")), 401)
                            .get("code")
                            .asText());
            assertEquals(
                    "invalid_api_key",
                    error(chat(hub, null, body("builtin", "x")), 401)
                            .get("code")
                            .asText());

            JsonNode notFound = error(chat(hub, NARROW_KEY, body("builtin", "x")), 404);
            assertEquals("model_not_found", notFound.get("code").asText());
            assertEquals("model", notFound.get("param").asText());
            assertTrue(notFound.get("message").asText().contains("gpt"), notFound.toString());
            assertEquals(
                    "model_not_found",
                    error(chat(hub, LAPTOP_KEY, body("nobody", "x")), 404)
                            .get("code")
                            .asText());

            JsonNode twoChoices = error(
                    chat(
                            hub,
                            LAPTOP_KEY,
                            "{\"model\":\"builtin\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                    400);
            assertEquals("invalid_request_error", twoChoices.get("type").asText());
            assertEquals("n", twoChoices.get("param").asText());
            assertEquals(
                    "messages[0].role",
                    error(
                                    chat(
                                            hub,
                                            LAPTOP_KEY,
                                            "{\"model\":\"builtin\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}"),
                                    400)
                            .get("param")
                            .asText());
            assertEquals(
                    "messages",
                    error(chat(hub, LAPTOP_KEY, "{\"model\":\"builtin\",\"messages\":[]}"), 400)
                            .get("param")
                            .asText());
            assertEquals(
                    "model",
                    error(chat(hub, LAPTOP_KEY, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400)
                            .get("param")
                            .asText());
            assertEquals(
                    "messages[0].content",
                    error(
                                    chat(
                                            hub,
                                            LAPTOP_KEY,
                                            "{\"model\":\"builtin\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}"),
                                    400)
                            .get("param")
                            .asText());
            assertTrue(
                    error(chat(hub, LAPTOP_KEY, "{not json"), 400).get("param").isNull());
            assertEquals(
                    "Idempotency-Key",
                    error(chat(hub, LAPTOP_KEY, body("builtin", "x"), "Idempotency-Key", "has spaces in it"), 400)
                            .get("param")
                            .asText());

            assertEquals(
                    "sender_not_allowed",
                    error(chat(hub, OUTSIDER_KEY, body("builtin", "x")), 403)
                            .get("code")
                            .asText());
            assertEquals(
                    "request_too_large",
                    error(chat(hub, LAPTOP_KEY, body("builtin", "x".repeat(10_000))), 413)
                            .get("code")
                            .asText());
        }
    }

    @Test
    void wrongKeysCountTowardTheLockoutAndALockedOutCallerGets429() throws Exception {
        try (Hub hub = start(config("admin:\n  authFailuresPerMinute: 2\n"))) {
            for (int i = 0; i < 2; i++) error(get(hub, "/v1/models", "sk-wrong-" + i), 401);
            HttpResponse<String> locked = chat(hub, LAPTOP_KEY, body("builtin", "x"));
            assertEquals("60", locked.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("rate_limit_exceeded", error(locked, 429).get("code").asText());
        }
    }

    @Test
    void noApiKeyAppearsInAnyLogLine() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            try (Hub hub = start()) {
                content(chat(hub, LAPTOP_KEY, body("builtin", "hi")));
                error(chat(hub, LAPTOP_KEY + "x", body("builtin", "hi")), 401);
                error(chat(hub, OUTSIDER_KEY, body("builtin", "hi")), 403);
            }
            assertFalse(logs.events().isEmpty());
            for (ILoggingEvent e : logs.events()) {
                String line = e.getFormattedMessage();
                for (String key : List.of(LAPTOP_KEY, NARROW_KEY, OUTSIDER_KEY))
                    assertFalse(line.contains(key.substring(3)), "a key in: " + line);
            }
        }
    }
}
