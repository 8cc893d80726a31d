package io.connectorhub.channel.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** JSON-RPC 2.0 envelopes and the hub's error codes. Thread-safe. */
final class Rpc {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int UNAUTHORIZED = -32001;
    static final int FORBIDDEN = -32002;
    static final int RATE_LIMITED = -32003;
    static final int BUSY = -32004;
    static final int EXPIRED = -32005;
    /** A user's access token expired: connect again with a fresh one (the connection is closed with 4001). */
    static final int TOKEN_EXPIRED = -32006;

    /** A request as received; {@code id} is null for a notification (which gets no response). */
    record Request(JsonNode id, String method, ObjectNode params) {}

    /** A failure to report to the client as a JSON-RPC error; {@code id} is set when it was read before failing. */
    static final class Failure extends RuntimeException {
        final int code;
        final Object data;
        final JsonNode id;

        Failure(int code, String message) {
            this(code, message, null, null);
        }

        Failure(int code, String message, Object data) {
            this(code, message, data, null);
        }

        private Failure(int code, String message, Object data, JsonNode id) {
            super(message, null, false, false);
            this.code = code;
            this.data = data;
            this.id = id;
        }

        static Failure invalid(JsonNode id, String message) {
            return new Failure(INVALID_REQUEST, "invalid request: " + message, null, id);
        }

        /** The answer to a request whose message expired unanswered (see {@code recovery.maxMessageAge}). */
        static Failure expired() {
            return new Failure(
                    EXPIRED,
                    "this message expired before it was answered (older than recovery.maxMessageAge); "
                            + "send it again with a new idempotency_key");
        }
    }

    private final ObjectMapper mapper;

    Rpc(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Parses one frame; throws {@link Failure} with -32700 or -32600 (carrying the id when there is one). */
    Request parse(String frame) {
        JsonNode node;
        try {
            node = mapper.readTree(frame);
        } catch (Exception e) {
            throw new Failure(PARSE_ERROR, "parse error: the frame is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw Failure.invalid(
                    null,
                    node != null && node.isArray()
                            ? "batches are not supported, send one request per frame"
                            : "expected a JSON object");
        }
        JsonNode id = node.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
            throw Failure.invalid(null, "id must be a string or an integer");
        }
        if (!"2.0".equals(node.path("jsonrpc").asText(null))
                || !node.path("jsonrpc").isTextual()) {
            throw Failure.invalid(id, "jsonrpc must be \"2.0\"");
        }
        JsonNode method = node.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw Failure.invalid(id, "method must be a non-empty string");
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw Failure.invalid(id, "params must be an object (named parameters)");
        }
        ObjectNode p = params instanceof ObjectNode o ? o : mapper.createObjectNode();
        return new Request(id == null || id.isNull() ? null : id, method.asText(), p);
    }

    String result(JsonNode id, Object result) {
        ObjectNode out = envelope(id);
        out.set("result", mapper.valueToTree(result));
        return out.toString();
    }

    String error(JsonNode id, Failure failure) {
        ObjectNode out = envelope(id);
        ObjectNode error = out.putObject("error");
        error.put("code", failure.code);
        error.put("message", failure.getMessage());
        if (failure.data != null) error.set("data", mapper.valueToTree(failure.data));
        return out.toString();
    }

    /** A server-to-client notification: {@code {"method":"event","params":{"type":...}}}. */
    String event(ObjectNode params) {
        ObjectNode out = mapper.createObjectNode();
        out.put("jsonrpc", "2.0");
        out.put("method", "event");
        out.set("params", params);
        return out.toString();
    }

    private ObjectNode envelope(JsonNode id) {
        ObjectNode out = mapper.createObjectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? mapper.nullNode() : id);
        return out;
    }

    // ---- parameter checks: each failure names the field ----

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    static String requiredText(ObjectNode params, String field, int maxLength) {
        JsonNode v = params.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Failure(INVALID_PARAMS, "params." + field + " is required and must be a non-empty string");
        }
        if (v.asText().length() > maxLength) {
            throw new Failure(INVALID_PARAMS, "params." + field + " is longer than " + maxLength + " characters");
        }
        return v.asText();
    }

    /** An optional identifier (session key, idempotency key, client id): 1-128 of {@code A-Za-z0-9._:@-}. */
    static String optionalKey(ObjectNode params, String field, String fallback) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual() || !KEY.matcher(v.asText()).matches()) {
            throw new Failure(INVALID_PARAMS, "params." + field + " must be 1-128 letters, digits or . _ : @ -");
        }
        return v.asText();
    }

    static int optionalInt(ObjectNode params, String field, int min, int max, int fallback) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new Failure(INVALID_PARAMS, "params." + field + " must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }
}
