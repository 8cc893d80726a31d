package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * One agent under {@code agents.<id>}. {@code type} is {@code builtin} (offline echo), {@code openai} (any
 * OpenAI-compatible chat completions API: OpenAI, DeepSeek, Ollama, vLLM...) or {@code remote} (a registered agent
 * gateway). Keys an agent does not set take the defaults given here; keys that do not apply to its type are ignored.
 *
 * @param baseUrl the API root ending before {@code /chat/completions}, e.g. {@code https://api.openai.com/v1}
 * @param apiKey sent as {@code Authorization: Bearer}; may be empty for local servers; never logged or printed
 * @param maxHistory history messages sent to the model (the system prompt always goes first)
 * @param temperature sampling temperature, or null to leave it to the provider
 * @param timeout one provider call (openai) or one gateway task until its callback (remote)
 * @param maxToolIterations model ↔ tool round trips per message before the agent gives up
 * @param tools built-in tools offered to the model: {@code current_time}, {@code search_history}
 * @param maxRetries retries of a call that got 429, 5xx or a network error
 * @param stream ask for server-sent-event streaming (replies appear as they are written)
 * @param gateways for {@code remote}: names of the gateways it may use; empty means any registered one
 */
public record AgentConfig(
        String type,
        String baseUrl,
        String apiKey,
        String model,
        String systemPrompt,
        Integer maxHistory,
        Double temperature,
        Duration timeout,
        Integer maxToolIterations,
        List<String> tools,
        Integer maxRetries,
        Boolean stream,
        List<String> gateways)
        implements Section {
    public static final String BUILTIN = "builtin";
    public static final String OPENAI = "openai";
    public static final String REMOTE = "remote";
    public static final List<String> TYPES = List.of(BUILTIN, OPENAI, REMOTE);
    public static final List<String> TOOLS = List.of("current_time", "search_history");

    public AgentConfig {
        type = type == null ? BUILTIN : type;
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        apiKey = apiKey == null ? "" : apiKey;
        model = model == null ? "" : model;
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        maxHistory = maxHistory == null ? 20 : maxHistory;
        timeout = timeout == null ? (REMOTE.equals(type) ? Duration.ofMinutes(2) : Duration.ofSeconds(60)) : timeout;
        maxToolIterations = maxToolIterations == null ? 4 : maxToolIterations;
        tools = tools == null ? TOOLS : List.copyOf(tools);
        maxRetries = maxRetries == null ? 3 : maxRetries;
        stream = stream == null ? Boolean.TRUE : stream;
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
    }

    @Override
    public void check(String path, Problems problems) {
        if (!TYPES.contains(type)) {
            problems.add(path + ".type", "is not an agent type; use builtin, openai or remote");
            return;
        }
        problems.range(maxHistory, 0, 10_000, path + ".maxHistory");
        problems.positive(timeout, path + ".timeout");
        if (OPENAI.equals(type)) {
            problems.require(
                    baseUrl.startsWith("http://") || baseUrl.startsWith("https://"),
                    path + ".baseUrl",
                    baseUrl.isEmpty()
                            ? "is missing: set the API root, e.g. https://api.openai.com/v1 or http://localhost:11434/v1"
                            : "must start with http:// or https://");
            problems.require(
                    !model.isBlank(), path + ".model", "is missing: set the model name, e.g. gpt-4o-mini or llama3.2");
            problems.range(maxToolIterations, 0, 50, path + ".maxToolIterations");
            problems.range(maxRetries, 0, 10, path + ".maxRetries");
            if (temperature != null)
                problems.require(
                        temperature >= 0 && temperature <= 2, path + ".temperature", "must be between 0 and 2");
            for (int i = 0; i < tools.size(); i++)
                problems.require(
                        TOOLS.contains(tools.get(i)),
                        path + ".tools[" + i + "]",
                        "is not a built-in tool; available: " + String.join(", ", TOOLS));
        }
    }

    @Override
    public String toString() {
        return "AgentConfig[type=" + type + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isEmpty() ? "<none>" : "<set>") + "]";
    }
}
