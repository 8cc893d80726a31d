package io.connectorhub.app.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.core.CredentialCheck;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The check of each {@code openai} agent: one cheap read-only call. It returns a {@link Check} and never throws; the
 * answer's body is read only for its error text, never shown whole. (The channels' credentials are checked by their
 * modules: {@link io.connectorhub.core.ChannelFactory#checkCredentials}.)
 */
final class ApiChecks {
    private final OkHttpClient http;

    ApiChecks(OkHttpClient http) {
        this.http = http;
    }

    /** {@code GET {baseUrl}/models} with the agent's key, and whether its model is among them. */
    Check openai(String id, AgentConfig agent) {
        String key = "agents." + id;
        Request.Builder get = new Request.Builder().url(agent.baseUrl().replaceAll("/+$", "") + "/models");
        if (!agent.apiKey().isBlank()) get.header("Authorization", "Bearer " + agent.apiKey());
        return Check.of(
                "agent " + id,
                CredentialCheck.call(http, get.build(), "the API", agent.baseUrl(), key + ".baseUrl", a -> {
                    if (a.ok()) {
                        List<String> models = new ArrayList<>();
                        for (JsonNode m : a.body().path("data"))
                            models.add(m.path("id").asText());
                        if (!models.isEmpty() && !offers(models, agent.model()))
                            return CredentialCheck.failed(
                                    agent.baseUrl() + " does not offer model " + agent.model() + " (it lists "
                                            + CredentialCheck.shorten(String.join(", ", models)) + ")",
                                    "set " + key + ".model to one of the models it lists");
                        return CredentialCheck.passed("GET " + agent.baseUrl() + "/models accepted " + key
                                + ".apiKey; model " + agent.model() + (models.isEmpty() ? "" : " is offered"));
                    }
                    String error = a.describe("/error/message", "error", "message");
                    if (a.status() == 401 || a.status() == 403)
                        return CredentialCheck.failed(
                                agent.baseUrl() + " refused " + key + ".apiKey (" + error + ")",
                                "set " + key
                                        + ".apiKey to a valid key (usually ${OPENAI_API_KEY}: export that variable where the"
                                        + " hub runs)");
                    if (a.status() == 404)
                        return CredentialCheck.failed(
                                agent.baseUrl() + "/models was not found (" + error + ")",
                                "check " + key
                                        + ".baseUrl: the API root before /chat/completions, usually ending in /v1");
                    return CredentialCheck.failed(
                            "GET " + agent.baseUrl() + "/models answered " + error,
                            "try again later; if it stays, check " + key + ".baseUrl");
                }));
    }

    /** Whether {@code model} is listed; Ollama lists {@code llama3.2:latest} for {@code llama3.2}. */
    private static boolean offers(List<String> models, String model) {
        return models.contains(model) || models.contains(model + ":latest");
    }
}
