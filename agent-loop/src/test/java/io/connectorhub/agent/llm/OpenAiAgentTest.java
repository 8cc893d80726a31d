package io.connectorhub.agent.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.SessionStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM agent against WireMock speaking the OpenAI chat completions protocol. */
class OpenAiAgentTest {
    private static final String KEY = "sk-test-secret-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:15:30Z"), ZoneOffset.UTC);

    private WireMockServer llm;
    private final OkHttpClient http = new OkHttpClient();
    private final List<ChatMessage> stored = new ArrayList<>();

    @BeforeEach
    void start() {
        llm = new WireMockServer(wireMockConfig().dynamicPort());
        llm.start();
    }

    @AfterEach
    void stop() {
        llm.stop();
    }

    private AgentConfig config(boolean stream, int maxRetries, int maxHistory) {
        return new AgentConfig(
                "openai",
                llm.baseUrl() + "/v1",
                KEY,
                "test-model",
                "You are terse.",
                maxHistory,
                0.2,
                Duration.ofSeconds(5),
                3,
                null,
                maxRetries,
                stream,
                null);
    }

    private OpenAiAgent agent(AgentConfig config) {
        return new OpenAiAgent("gpt", config, http, new History(), CLOCK, Duration.ofMillis(10), Duration.ofMinutes(5));
    }

    private static AgentRequest request(String text, List<ChatMessage> history) {
        InboundMessage in = InboundMessage.builder("websocket", "m1")
                .sender("alice")
                .chat("main")
                .content(text)
                .build();
        return new AgentRequest(in, history);
    }

    private static ChatMessage message(String role, String text) {
        return new ChatMessage("id-" + text, "websocket:main", role, text, "alice", CLOCK.instant());
    }

    private static String completion(String content) {
        return JSON.createObjectNode()
                .set(
                        "choices",
                        JSON.createArrayNode()
                                .add(JSON.createObjectNode()
                                        .set(
                                                "message",
                                                JSON.createObjectNode()
                                                        .put("role", "assistant")
                                                        .put("content", content))))
                .toString();
    }

    private static String sse(String... events) {
        StringBuilder out = new StringBuilder();
        for (String e : events) out.append("data: ").append(e).append("\n\n");
        return out.append("data: [DONE]\n\n").toString();
    }

    private static String delta(String content) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JSON.valueToTree(content) + "}}]}";
    }

    @Test
    void sendsSystemPromptWindowedHistoryAndTheMessageAndReturnsTheReply() throws Exception {
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(completion("Hi!"))));
        List<String> deltas = new CopyOnWriteArrayList<>();
        List<ChatMessage> history =
                List.of(message("user", "oldest"), message("assistant", "old reply"), message("user", "recent"));

        String reply = agent(config(false, 0, 2)).respond(request("hello", history), deltas::add);

        assertEquals("Hi!", reply);
        assertEquals(List.of("Hi!"), deltas);
        llm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("test-model")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2"))));
        JsonNode sent =
                JSON.readTree(llm.getAllServeEvents().get(0).getRequest().getBodyAsString());
        JsonNode messages = sent.get("messages");
        assertEquals(4, messages.size(), "system prompt, the last 2 history messages, the new message");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("You are terse.", messages.get(0).get("content").asText());
        assertEquals("old reply", messages.get(1).get("content").asText());
        assertEquals("assistant", messages.get(1).get("role").asText());
        assertEquals("recent", messages.get(2).get("content").asText());
        assertEquals("hello", messages.get(3).get("content").asText());
        assertFalse(sent.has("stream"));
    }

    @Test
    void streamsServerSentEventDeltasInOrder() throws Exception {
        llm.stubFor(post("/v1/chat/completions")
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse(
                                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}",
                                delta("Once "),
                                delta("upon "),
                                delta("a "),
                                delta("time."),
                                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"))));
        List<String> deltas = new CopyOnWriteArrayList<>();

        String reply = agent(config(true, 0, 10)).respond(request("tell me a story", List.of()), deltas::add);

        assertEquals("Once upon a time.", reply);
        assertEquals(List.of("Once ", "upon ", "a ", "time."), deltas);
    }

    @Test
    void runsAToolTheModelCallsAndSendsTheResultBack() throws Exception {
        stored.add(message("user", "my locker code is 4711"));
        stored.add(message("user", "what a nice day"));
        String toolCall = sse(
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"search_history\","
                        + "\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + "\"{\\\"query\\\":\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + "\"\\\"locker\\\"}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("tools")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(toolCall))
                .willSetStateTo("answered"));
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("tools")
                .whenScenarioStateIs("answered")
                .withRequestBody(containing("4711"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse(delta("Your code is 4711.")))));
        List<String> deltas = new CopyOnWriteArrayList<>();

        String reply = agent(config(true, 0, 10)).respond(request("what was my locker code?", List.of()), deltas::add);

        assertEquals("Your code is 4711.", reply);
        assertEquals(List.of("Your code is 4711."), deltas);
        JsonNode second = JSON.readTree(llm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains("tool_call_id"))
                .findFirst()
                .orElseThrow()
                .getRequest()
                .getBodyAsString());
        JsonNode messages = second.get("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertEquals(
                "search_history", assistant.at("/tool_calls/0/function/name").asText());
        assertEquals(
                "{\"query\":\"locker\"}",
                assistant.at("/tool_calls/0/function/arguments").asText());
        JsonNode tool = messages.get(messages.size() - 1);
        assertEquals("tool", tool.get("role").asText());
        assertEquals("call_1", tool.get("tool_call_id").asText());
        assertTrue(tool.get("content").asText().contains("my locker code is 4711"));
        assertFalse(tool.get("content").asText().contains("nice day"));
        JsonNode first =
                JSON.readTree(llm.getAllServeEvents().getLast().getRequest().getBodyAsString());
        assertEquals(2, first.get("tools").size(), "current_time and search_history are offered");
    }

    @Test
    void givesUpWhenTheModelKeepsCallingToolsPastTheLimit() throws Exception {
        String call = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"c\",\"type\":\"function\",\"function\":{\"name\":\"current_time\",\"arguments\":\"{}\"}}]}}]}";
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(call)));

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> agent(config(false, 0, 10)).respond(request("time?", List.of()), d -> {}));

        assertTrue(e.getMessage().contains("agents.gpt.maxToolIterations"), e.getMessage());
        assertEquals(4, llm.getAllServeEvents().size(), "3 rounds with tools, then one without");
        JsonNode last =
                JSON.readTree(llm.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertFalse(last.has("tools"), "the last round offers no tools");
        assertTrue(last.toString().contains("Wed, 25 Nov 2026 10:15:30 GMT"), "current_time used the clock");
    }

    @Test
    void retriesA429AfterTheRetryAfterDelayThenSucceeds() throws Exception {
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\"}}"))
                .willSetStateTo("free"));
        llm.stubFor(post("/v1/chat/completions")
                .inScenario("busy")
                .whenScenarioStateIs("free")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(completion("ok"))));

        long t0 = System.nanoTime();
        String reply = agent(config(false, 2, 10)).respond(request("hi", List.of()), d -> {});
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;

        assertEquals("ok", reply);
        assertEquals(2, llm.getAllServeEvents().size());
        assertTrue(waitedMs >= 900, "waited for Retry-After: 1 (" + waitedMs + " ms)");
    }

    @Test
    void failsWithTheStatusButNeverTheKeyWhenRetriesRunOut() {
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withStatus(503)
                        .withBody("{\"error\":{\"message\":\"overloaded, key " + KEY + " is fine\"}}")));

        ProviderException e = assertThrows(
                ProviderException.class, () -> agent(config(false, 2, 10)).respond(request("hi", List.of()), d -> {}));

        assertEquals(3, llm.getAllServeEvents().size(), "first try and two retries");
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("overloaded"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(agent(config(false, 0, 10)).toString().contains(KEY));
    }

    @Test
    void doesNotRetryAClientError() {
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"Incorrect API key\"}}")));

        ProviderException e = assertThrows(
                ProviderException.class, () -> agent(config(false, 3, 10)).respond(request("hi", List.of()), d -> {}));

        assertEquals(1, llm.getAllServeEvents().size());
        assertTrue(e.getMessage().contains("HTTP 401: Incorrect API key"), e.getMessage());
    }

    @Test
    void opensTheCircuitBreakerAfterRepeated500sAndStopsCalling() {
        llm.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(500)));
        OpenAiAgent agent = agent(config(false, 0, 10));

        for (int i = 0; i < 5; i++)
            assertThrows(ProviderException.class, () -> agent.respond(request("hi", List.of()), d -> {}));
        assertEquals(CircuitBreaker.State.OPEN, agent.breakerState());

        ProviderException open =
                assertThrows(ProviderException.class, () -> agent.respond(request("hi", List.of()), d -> {}));
        assertTrue(open.getMessage().contains("circuit breaker open"), open.getMessage());
        assertEquals(5, llm.getAllServeEvents().size(), "no call while the breaker is open");
    }

    /** The session store seen by the tools: only {@link #history} matters here. */
    private final class History implements SessionStore {
        @Override
        public List<ChatMessage> history(String sessionKey, int limit) {
            return List.copyOf(stored);
        }

        @Override
        public void completeTurn(InboundMessage in, OutboundMessage reply, boolean keepInHistory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean clear(String sessionKey) {
            return false;
        }

        @Override
        public boolean delete(String sessionKey) {
            return false;
        }

        @Override
        public List<SessionInfo> list(String prefix, int limit) {
            return List.of();
        }

        @Override
        public List<SessionInfo> find(String prefix, List<String> keys, String text, Instant before, int limit) {
            return List.of();
        }

        @Override
        public Optional<List<ChatMessage>> historyBefore(String sessionKey, String beforeId, int limit) {
            return Optional.empty();
        }

        @Override
        public Optional<SessionInfo> get(String sessionKey) {
            return Optional.empty();
        }

        @Override
        public boolean create(String sessionKey, String channel, String chatId, String title, String agent) {
            return false;
        }

        @Override
        public boolean rename(String sessionKey, String title) {
            return false;
        }
    }
}
