package io.connectorhub.channel.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the hub takes from a {@code POST /v1/chat/completions} body: the agent ({@code model}), the new user message
 * (the last of {@code messages}; the earlier ones are the client's copy of a history the hub keeps itself), whether to
 * stream, and the {@code user} field. Other fields (temperature, max_tokens, ...) are accepted and ignored.
 */
record ChatRequest(String model, String text, boolean stream, String user) {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Reads {@code body}; throws a 400 {@link ApiError} naming the field that is wrong. */
    static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) throw ApiError.invalid(null, "the body must be a JSON object");
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiError.invalid("model", "model is required and must be an agent id from GET /v1/models");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.asLong() == 1)) {
            throw ApiError.invalid("n", "n must be 1: the hub answers with one choice");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiError.invalid("stream", "stream must be true or false");
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw ApiError.invalid("user", "user must be a string");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid("messages", "messages is required and must be a non-empty array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode role = messages.get(i).get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiError.invalid(
                        "messages[" + i + "].role",
                        "messages[" + i + "].role must be one of system, developer, user, assistant, tool");
            }
        }
        int last = messages.size() - 1;
        if (!messages.get(last).get("role").asText().equals("user")) {
            throw ApiError.invalid(
                    "messages[" + last + "].role",
                    "the last of messages must be the new user message (role user): the hub answers it, with the"
                            + " conversation's stored history as context");
        }
        return new ChatRequest(
                model.asText(),
                text(messages.get(last).get("content"), "messages[" + last + "].content"),
                stream != null && stream.asBoolean(),
                user == null || user.isNull() ? null : user.asText());
    }

    /** A message's text: a string, or an array of {@code {"type":"text","text":…}} parts joined by newlines. */
    private static String text(JsonNode content, String param) {
        if (content != null && content.isTextual() && !content.asText().isBlank()) return content.asText();
        if (content != null && content.isArray() && !content.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String type = part.path("type").asText();
                if (!type.equals("text") || !part.path("text").isTextual()) {
                    throw ApiError.invalid(
                            param + "[" + j + "]",
                            param + "[" + j + "] must be a text part {\"type\":\"text\",\"text\":…}; the hub takes"
                                    + " text only");
                }
                if (!out.isEmpty()) out.append('\n');
                out.append(part.get("text").asText());
            }
            if (!out.toString().isBlank()) return out.toString();
        }
        throw ApiError.invalid(param, param + " must be a non-empty string (or an array of text parts)");
    }
}
