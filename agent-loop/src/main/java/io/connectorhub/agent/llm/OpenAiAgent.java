package io.connectorhub.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.Json;
import io.connectorhub.core.RetryAfter;
import io.connectorhub.core.SessionStore;
import io.connectorhub.core.Urls;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent backed by any OpenAI-compatible {@code /chat/completions} API (OpenAI, DeepSeek, Ollama, vLLM...).
 *
 * <p>Each message is sent with the system prompt first and the last {@code maxHistory} messages of the session.
 * With {@code stream: true} the reply is read as server-sent events and every content delta is handed on as it
 * arrives. When the model calls tools, they run and their results go back to the model, at most
 * {@code maxToolIterations} times per message. Calls that get 429, 5xx or a network error are retried with
 * exponential backoff (honouring {@code Retry-After}) up to {@code maxRetries} times; a circuit breaker stops
 * calling a provider that keeps failing (half of the last 10 calls, at least 5) for 30 s. Any failure is thrown,
 * so the user gets the loop's short apology and the log the cause; messages never contain the API key.
 * Thread-safe.
 */
public final class OpenAiAgent implements Agent {
    private static final Logger log = LoggerFactory.getLogger(OpenAiAgent.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int MAX_ERROR_BODY = 300;
    /** The longest wait a provider's {@code Retry-After} is followed for. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final String id;
    private final AgentConfig config;
    private final OkHttpClient http;
    private static final ObjectMapper MAPPER = Json.newMapper();
    private final Tools tools;
    private final Clock clock;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final HttpUrl url; // parsed once: parsing per call showed up in profiles
    private final String shownUrl; // the URL in logs and errors: without credentials

    public OpenAiAgent(String id, AgentConfig config, OkHttpClient http, SessionStore sessions, Clock clock) {
        this(id, config, http, sessions, clock, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** With the retry backoff's first interval and the breaker's open time given (tests shorten them). */
    public OpenAiAgent(
            String id,
            AgentConfig config,
            OkHttpClient http,
            SessionStore sessions,
            Clock clock,
            Duration backoff,
            Duration breakerOpen) {
        this.id = id;
        this.config = config;
        this.url = HttpUrl.get(config.baseUrl().replaceAll("/+$", "") + "/chat/completions");
        this.shownUrl = Urls.withoutCredentials(url.toString());
        // Many sessions call one provider at once: keep their connections (OkHttp's default keeps 5 idle).
        this.http = http.newBuilder()
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                // A streamed reply may take longer than the timeout in all; only silence longer than it is a failure.
                .callTimeout(config.stream() ? Duration.ZERO : config.timeout())
                .readTimeout(config.timeout())
                .build();
        this.clock = clock;
        this.tools = new Tools(MAPPER, sessions, clock, config.tools());
        IntervalFunction exponential = IntervalFunction.ofExponentialRandomBackoff(backoff, 2.0, 0.5);
        this.retry = Retry.of(
                "llm-" + id,
                RetryConfig.<Object>custom()
                        .maxAttempts(config.maxRetries() + 1)
                        .retryOnException(e -> e instanceof ProviderException p && p.retryable())
                        .intervalBiFunction((attempt, either) -> {
                            if (either.isLeft()
                                    && either.getLeft() instanceof ProviderException p
                                    && p.retryAfterMillis() >= 0) return p.retryAfterMillis();
                            return exponential.apply(attempt);
                        })
                        .build());
        this.breaker = CircuitBreaker.of(
                "llm-" + id,
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(breakerOpen)
                        .recordException(e -> e instanceof ProviderException p && p.retryable())
                        .build());
    }

    /** The circuit breaker's state, for status pages and tests. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    @Override
    public int historyLimit() {
        return config.maxHistory();
    }

    @Override
    public String respond(AgentRequest request, Consumer<String> stream) throws Exception {
        ArrayNode messages = MAPPER.createArrayNode();
        if (!config.systemPrompt().isBlank())
            messages.addObject().put("role", "system").put("content", config.systemPrompt());
        List<ChatMessage> history = request.history();
        for (ChatMessage m : history.subList(Math.max(0, history.size() - config.maxHistory()), history.size())) {
            String role = ChatMessage.ASSISTANT.equals(m.role()) ? "assistant" : "user";
            messages.addObject().put("role", role).put("content", m.content());
        }
        messages.addObject().put("role", "user").put("content", request.text());

        for (int round = 0; ; round++) {
            boolean offerTools = !tools.isEmpty() && round < config.maxToolIterations();
            Completion c = complete(messages, offerTools, stream);
            if (c.toolCalls().isEmpty()) {
                if (c.text().isBlank())
                    throw new ProviderException(
                            "agent " + id + ": " + shownUrl + " returned an empty reply", 0, false, -1, null);
                return c.text();
            }
            if (round >= config.maxToolIterations())
                throw new ProviderException(
                        "agent " + id + ": the model still asked for tools after " + config.maxToolIterations()
                                + " rounds (agents." + id + ".maxToolIterations)",
                        0,
                        false,
                        -1,
                        null);
            ObjectNode assistant = messages.addObject().put("role", "assistant");
            if (c.text().isEmpty()) assistant.putNull("content");
            else assistant.put("content", c.text());
            ArrayNode calls = assistant.putArray("tool_calls");
            for (ToolCall call : c.toolCalls()) {
                ObjectNode node = calls.addObject().put("id", call.id()).put("type", "function");
                node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
            for (ToolCall call : c.toolCalls()) {
                String result = tools.call(call.name(), call.arguments(), request.sessionKey());
                log.debug("Agent {} ran tool {} for session {}", id, call.name(), request.sessionKey());
                messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", call.id())
                        .put("content", result);
            }
        }
    }

    record ToolCall(String id, String name, String arguments) {}

    record Completion(String text, List<ToolCall> toolCalls) {}

    private Completion complete(ArrayNode messages, boolean offerTools, Consumer<String> stream) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("model", config.model());
        body.set("messages", messages);
        if (config.temperature() != null) body.put("temperature", config.temperature());
        if (offerTools) body.set("tools", tools.definitions());
        if (config.stream()) body.put("stream", true);
        byte[] payload = MAPPER.writeValueAsBytes(body);
        CheckedSupplier<Completion> call = () -> post(payload, stream);
        CheckedSupplier<Completion> guarded =
                Retry.decorateCheckedSupplier(retry, CircuitBreaker.decorateCheckedSupplier(breaker, call));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new ProviderException(
                    "agent " + id + ": " + shownUrl + " failed too often recently; not calling it for a while (circuit"
                            + " breaker open)",
                    0,
                    false,
                    -1,
                    null);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private Completion post(byte[] payload, Consumer<String> stream) throws ProviderException {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(payload, JSON));
        if (!config.apiKey().isEmpty()) request.header("Authorization", "Bearer " + config.apiKey());
        if (config.stream()) request.header("Accept", "text/event-stream");
        boolean[] streamed = {false};
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                int status = response.code();
                boolean retryable = status == 429 || status >= 500;
                throw new ProviderException(
                        "agent " + id + ": " + shownUrl + " answered HTTP " + status + ": " + errorText(body),
                        status,
                        retryable,
                        RetryAfter.parse(response.header("Retry-After"), clock, MAX_RETRY_AFTER)
                                .map(Duration::toMillis)
                                .orElse(-1L),
                        null);
            }
            String type = response.header("Content-Type", "");
            if (type.contains("text/event-stream")) return readStream(body.source(), stream, streamed);
            return readWhole(body.string(), stream);
        } catch (IOException e) {
            // A broken connection is retried only if nothing reached the user yet, so no delta is shown twice.
            throw new ProviderException(
                    "agent " + id + ": calling " + shownUrl + " failed: " + redact(String.valueOf(e.getMessage())),
                    0,
                    !streamed[0],
                    -1,
                    e);
        }
    }

    private Completion readWhole(String body, Consumer<String> stream) throws ProviderException, IOException {
        JsonNode message = MAPPER.readTree(body).path("choices").path(0).path("message");
        if (message.isMissingNode())
            throw new ProviderException(
                    "agent " + id + ": " + shownUrl
                            + " returned no choices[0].message; is it an OpenAI-compatible API?",
                    0,
                    false,
                    -1,
                    null);
        String text = message.path("content").asText(""); // "" for a JSON null too
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            calls.add(new ToolCall(
                    c.path("id").asText(),
                    c.path("function").path("name").asText(),
                    c.path("function").path("arguments").asText("")));
        }
        if (calls.isEmpty() && !text.isEmpty()) stream.accept(text);
        return new Completion(text, calls);
    }

    /** Server-sent events: {@code data: {json}} lines until {@code data: [DONE]} or the end of the body. */
    private Completion readStream(BufferedSource source, Consumer<String> stream, boolean[] streamed)
            throws IOException, ProviderException {
        StringBuilder text = new StringBuilder();
        Map<Integer, String[]> calls = new TreeMap<>(); // index → {id, name, arguments}
        for (String line; (line = source.readUtf8Line()) != null; ) {
            if (!line.startsWith("data:")) continue;
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) break;
            if (data.isEmpty()) continue;
            JsonNode event = MAPPER.readTree(data);
            if (event.has("error"))
                throw new ProviderException(
                        "agent " + id + ": " + shownUrl + " reported an error in the stream: "
                                + redact(event.path("error")
                                        .path("message")
                                        .asText(event.path("error").toString())),
                        0,
                        false,
                        -1,
                        null);
            JsonNode delta = event.path("choices").path(0).path("delta");
            String content =
                    delta.path("content").isTextual() ? delta.path("content").asText() : "";
            if (!content.isEmpty()) {
                text.append(content);
                streamed[0] = true;
                stream.accept(content);
            }
            for (JsonNode c : delta.path("tool_calls")) {
                String[] acc =
                        calls.computeIfAbsent(c.path("index").asInt(calls.size()), i -> new String[] {"", "", ""});
                if (c.path("id").isTextual()) acc[0] = c.path("id").asText();
                JsonNode fn = c.path("function");
                if (fn.path("name").isTextual()) acc[1] += fn.path("name").asText();
                if (fn.path("arguments").isTextual())
                    acc[2] += fn.path("arguments").asText();
            }
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        for (String[] c : calls.values()) toolCalls.add(new ToolCall(c[0], c[1], c[2]));
        return new Completion(text.toString(), toolCalls);
    }

    private String errorText(ResponseBody body) {
        try {
            String text = body.string();
            try {
                JsonNode error = MAPPER.readTree(text).path("error");
                if (error.path("message").isTextual())
                    text = error.path("message").asText();
            } catch (IOException notJson) {
                // keep the raw text
            }
            text = redact(text.replaceAll("\\s+", " ").strip());
            return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text;
        } catch (IOException e) {
            return "(body unreadable)";
        }
    }

    /** Providers sometimes echo the key they were given; it must not reach a log. */
    private String redact(String text) {
        String key = config.apiKey();
        return key.length() < 4 ? text : text.replace(key, "<apiKey>");
    }

    @Override
    public String toString() {
        return "OpenAiAgent[" + id + ", " + config + "]";
    }
}
