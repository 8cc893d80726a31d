package io.connectorhub.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Helpers shared by the admin and hook routes: reading a JSON object body and answering a bad one with 400 naming
 * the field, and {@link Error} for any status with a JSON {@code {"error": ...}} body.
 */
public final class Api {
    private static final ObjectMapper JSON = Json.newMapper();

    private Api() {}

    /** An error answered with {@code status} and {@code {"error": message}}; the message is shown to the caller. */
    public static final class Error extends RuntimeException {
        private final int status;

        public Error(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static Error badRequest(String field, String problem) {
        return new Error(400, field + " " + problem);
    }

    public static Error notFound(String what) {
        return new Error(404, what + " not found");
    }

    /** Registers the handler that turns {@link Error} into its response. */
    public static void mountErrors(JavalinConfig config) {
        config.routes.exception(Error.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.getMessage())));
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public static JsonNode object(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) return JSON.createObjectNode();
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            throw new Error(400, "body is not valid JSON: send a JSON object");
        }
        if (node == null || !node.isObject()) throw new Error(400, "body must be a JSON object");
        return node;
    }

    /** A required non-empty string field. */
    public static String text(JsonNode body, String field, int maxLength) {
        String v = optionalText(body, field, maxLength);
        if (v == null || v.isEmpty()) throw badRequest(field, "is required and must be a non-empty string");
        return v;
    }

    /** An optional string field (null if absent). */
    public static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw badRequest(field, "must be a string");
        if (n.asText().length() > maxLength) throw badRequest(field, "is longer than " + maxLength + " characters");
        return n.asText();
    }

    public static Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw badRequest(field, "must be true or false");
        return n.asBoolean();
    }

    /** An optional list of non-empty strings (null if absent). */
    public static List<String> optionalTexts(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw badRequest(field, "must be a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual() || item.asText().isBlank()) throw badRequest(field, "must be a list of strings");
            out.add(item.asText());
        }
        return out;
    }

    /** A query parameter {@code name} between 1 and {@code max}, else {@code fallback}. */
    public static int limit(Context ctx, String name, int fallback, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) return fallback;
        try {
            int v = Integer.parseInt(raw);
            if (v >= 1 && v <= max) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw badRequest(name, "must be a number between 1 and " + max);
    }
}
