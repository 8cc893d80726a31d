package io.connectorhub.channel.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.OutboundMessage;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reply in OpenAI's shapes: a whole {@code chat.completion}, or a stream of {@code chat.completion.chunk} events
 * ({@code data: {…}} lines, ending with {@code data: [DONE]}). The final reply's text is authoritative: what the
 * streamed pieces lacked of it is sent before the end. Used by one request thread; not thread-safe.
 */
final class Answer {
    private final Context ctx;
    private final ObjectMapper json;
    private final String model;
    private final StringBuilder streamed = new StringBuilder();
    private OutputStream out;
    private String id;
    private long created;

    Answer(Context ctx, ObjectMapper json, String model) {
        this.ctx = ctx;
        this.json = json;
        this.model = model;
    }

    void whole(OutboundMessage reply) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", reply.content());
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", "stop");
        Map<String, Object> body = head(reply, "chat.completion");
        body.put("choices", List.of(choice));
        body.put("usage", Map.of("prompt_tokens", 0, "completion_tokens", 0, "total_tokens", 0));
        ctx.json(body);
    }

    /** Commits the 200 and the event-stream headers; from here on errors go into the stream. */
    void startStream() throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        out = ctx.res().getOutputStream();
        out.flush();
    }

    void keepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    void delta(OutboundMessage part) throws IOException {
        begin(part);
        streamed.append(part.content());
        chunk(Map.of("content", part.content()), null);
    }

    /** Sends what the pieces lacked of the reply, the end of the choice, and {@code [DONE]}. */
    void last(OutboundMessage reply) throws IOException {
        begin(reply);
        String text = reply.content();
        String rest = text.startsWith(streamed.toString()) ? text.substring(streamed.length()) : "";
        if (!rest.isEmpty()) chunk(Map.of("content", rest), null);
        chunk(Map.of(), "stop");
        write("data: [DONE]\n\n");
    }

    /** An error after the stream began: an {@code error} event, as OpenAI's SDKs read it, then the end. */
    void error(ApiError error) throws IOException {
        write("data: " + json.writeValueAsString(error.body()) + "\n\n");
        write("data: [DONE]\n\n");
    }

    /** The first part of the reply names it: the id and the assistant's role. */
    private void begin(OutboundMessage part) throws IOException {
        if (id != null) return;
        id = "chatcmpl-" + part.id();
        created = part.timestamp().getEpochSecond();
        chunk(Map.of("role", "assistant", "content", ""), null);
    }

    private void chunk(Map<String, Object> delta, String finishReason) throws IOException {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "chat.completion.chunk");
        body.put("created", created);
        body.put("model", model);
        body.put("choices", List.of(choice));
        write("data: " + json.writeValueAsString(body) + "\n\n");
    }

    private Map<String, Object> head(OutboundMessage reply, String object) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "chatcmpl-" + reply.id());
        body.put("object", object);
        body.put("created", reply.timestamp().getEpochSecond());
        body.put("model", model);
        return body;
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
