package io.connectorhub.channel.openai;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request refused in OpenAI's error shape, {@code {"error":{"message","type","code","param"}}}, with its HTTP
 * status. The message names what is wrong and what to do, and never quotes a key.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final String param;
    /** Seconds for a {@code Retry-After} header, or null. */
    final String retryAfter;

    ApiError(int status, String type, String code, String param, String message, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    /** 400: {@code param} (a body field, or a header) is missing or wrong. */
    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", null, param, message, null);
    }

    static ApiError modelNotFound(String model, Iterable<String> usable) {
        return new ApiError(
                404,
                "invalid_request_error",
                "model_not_found",
                "model",
                "The model " + model + " does not exist or this API key may not use it; models this key may use: "
                        + String.join(", ", usable) + " (GET /v1/models lists them)",
                null);
    }

    static ApiError server(int status, String code, String message) {
        return new ApiError(status, "server_error", code, null, message, null);
    }

    /** The error as OpenAI's SDKs read it. */
    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("code", code);
        error.put("param", param);
        return Map.of("error", error);
    }
}
