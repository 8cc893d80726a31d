package io.connectorhub.channel.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.channel.openai.OpenAiApiSettings.ApiKey;
import io.connectorhub.core.Admission;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Json;
import io.connectorhub.core.OutboundMessage;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}: hands the last user message to the inbox as a message of the key's name, for the
 * agent named by {@code model}, and answers with the reply, whole or as server-sent events. The conversation is
 * {@code X-Session-Key}, else the {@code user} field, else {@code main}, within the key's name; an
 * {@code Idempotency-Key} makes a repeat return the stored answer. Thread-safe.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    static final String DEFAULT_CONVERSATION = "main";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final OpenAiApiChannel channel;
    private final ChannelContext context;
    private final OpenAiApiSettings settings;
    private final ObjectMapper json = Json.newMapper();

    Completions(OpenAiApiChannel channel, ChannelContext context, OpenAiApiSettings settings) {
        this.channel = channel;
        this.context = context;
        this.settings = settings;
    }

    void handle(Context ctx) throws IOException {
        ApiKey key = channel.authenticate(ctx);
        ChatRequest request = ChatRequest.parse(body(ctx));
        String conversation = conversation(ctx, request);
        String idempotencyKey = header(ctx, "Idempotency-Key");
        List<String> usable = channel.usable(key);
        if (!usable.contains(request.model())) throw ApiError.modelNotFound(request.model(), usable);
        if (!channel.isAllowed(key.name())) {
            throw new ApiError(
                    403,
                    "permission_error",
                    "sender_not_allowed",
                    null,
                    "the key named " + key.name() + " is not on channels.openaiApi.allowFrom",
                    null);
        }
        String inboundId = idempotencyKey != null ? "k:" + key.name() + ":" + idempotencyKey : "m:" + UUID.randomUUID();
        InboundMessage message = InboundMessage.builder(OpenAiApiChannel.NAME, inboundId)
                .sender(key.name())
                .chat(key.name() + ":" + conversation)
                .content(request.text())
                .agent(request.model())
                .build();
        BlockingQueue<OutboundMessage> replies = channel.await(inboundId);
        try {
            OutboundMessage stored = admit(message);
            Answer answer = new Answer(ctx, json, request.model());
            if (request.stream()) {
                try {
                    stream(answer, replies, stored);
                } catch (IOException e) {
                    log.debug(
                            "OpenAI API client {} left during a streamed answer; it is stored: {}",
                            key.name(),
                            e.toString());
                }
            } else {
                OutboundMessage reply = stored != null ? stored : await(replies, idempotencyKey != null);
                if (reply.agentFailed()) throw agentFailed();
                answer.whole(reply);
            }
        } finally {
            channel.forget(inboundId, replies);
        }
    }

    /** Hands {@code message} in; returns the stored reply of a repeat that was answered already, else null. */
    private OutboundMessage admit(InboundMessage message) {
        Admission admission;
        try {
            admission = context.inbound().accept(message);
        } catch (BusFullException e) {
            throw new ApiError(
                    429,
                    "rate_limit_exceeded",
                    "rate_limit_exceeded",
                    null,
                    "the hub is busy: its queues are full; retry later (the message is kept: a retry with the same"
                            + " Idempotency-Key gets its answer)",
                    String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
        }
        if (!admission.duplicate()) return null;
        return switch (admission.state()) {
            case PENDING, PROCESSING -> null; // the reply comes to every waiter
            case DENIED ->
                throw new ApiError(
                        403,
                        "permission_error",
                        "sender_not_allowed",
                        null,
                        "this request was refused: its key's name is not on channels.openaiApi.allowFrom",
                        null);
            case EXPIRED -> throw expired();
            case DONE ->
                context.outbox()
                        .replyTo(OpenAiApiChannel.NAME, message.id())
                        .orElseThrow(() -> ApiError.server(
                                500,
                                "answer_not_kept",
                                "the answer to this Idempotency-Key is no longer kept (older than store.retention);"
                                        + " send the request with a new Idempotency-Key"));
        };
    }

    /** The reply from {@code replies}, or a 504 once {@code timeout} has passed. */
    private OutboundMessage await(BlockingQueue<OutboundMessage> replies, boolean idempotent) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            while (true) {
                OutboundMessage part = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (part == null) throw timedOut(idempotent);
                if (part == OpenAiApiChannel.EXPIRED) throw expired();
                if (part == OpenAiApiChannel.STOPPING) throw stopping();
                if (part.kind() == OutboundMessage.Kind.MESSAGE) return part;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopping();
        }
    }

    /**
     * Streams the reply's parts as they come, the stored reply of a repeat at once; comments keep the connection
     * alive while the agent thinks. A client that leaves loses nothing: the answer is stored all the same.
     */
    private void stream(Answer answer, BlockingQueue<OutboundMessage> replies, OutboundMessage stored)
            throws IOException {
        answer.startStream();
        if (stored != null) {
            finish(answer, stored);
            return;
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Duration keepAlive = settings.keepAliveInterval();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    answer.error(timedOut(true));
                    return;
                }
                OutboundMessage part = replies.poll(Math.min(left, keepAlive.toNanos()), TimeUnit.NANOSECONDS);
                if (part == null) answer.keepAlive();
                else if (part == OpenAiApiChannel.EXPIRED || part == OpenAiApiChannel.STOPPING) {
                    answer.error(part == OpenAiApiChannel.EXPIRED ? expired() : stopping());
                    return;
                } else if (part.kind() == OutboundMessage.Kind.DELTA) answer.delta(part);
                else if (part.kind() == OutboundMessage.Kind.MESSAGE) {
                    finish(answer, part);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finish(Answer answer, OutboundMessage reply) throws IOException {
        if (reply.agentFailed()) answer.error(agentFailed());
        else answer.last(reply);
    }

    private JsonNode body(Context ctx) {
        byte[] bytes;
        try {
            bytes = ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            if (e.getStatus() != 413) throw e;
            throw new ApiError(
                    413,
                    "invalid_request_error",
                    "request_too_large",
                    null,
                    "the body is larger than server.maxRequestBytes",
                    null);
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.invalid(null, "the body is not JSON: send a chat completion request object");
        }
    }

    private static String conversation(Context ctx, ChatRequest request) {
        String header = header(ctx, "X-Session-Key");
        if (header != null) return header;
        if (request.user() == null) return DEFAULT_CONVERSATION;
        if (!KEY.matcher(request.user()).matches()) {
            throw ApiError.invalid(
                    "user", "user must be 1-128 characters of A-Za-z0-9._:@- (it names the conversation)");
        }
        return request.user();
    }

    /** A header of 1-128 characters of {@code A-Za-z0-9._:@-}, or null when absent. */
    private static String header(Context ctx, String name) {
        String value = ctx.header(name);
        if (value == null) return null;
        if (!KEY.matcher(value).matches()) {
            throw ApiError.invalid(name, "the " + name + " header must be 1-128 characters of A-Za-z0-9._:@-");
        }
        return value;
    }

    private ApiError timedOut(boolean idempotent) {
        return ApiError.server(
                504,
                "timeout",
                "no answer within channels.openaiApi.timeout ("
                        + settings.timeout().toSeconds() + "s); the answer will"
                        + " be stored: "
                        + (idempotent
                                ? "repeat the request with the same Idempotency-Key to get it"
                                : "send an Idempotency-Key to be able to fetch it with a repeat"));
    }

    /** The agent failed: the hub's apology is not an answer, so the API says so with a status. */
    private static ApiError agentFailed() {
        return ApiError.server(
                502,
                "agent_failed",
                "the agent could not answer (the hub's log says why); retry, with a new Idempotency-Key if you sent"
                        + " one");
    }

    private static ApiError stopping() {
        return ApiError.server(
                503,
                "stopping",
                "the hub is stopping; the message is kept and answered after the restart: repeat the request with the"
                        + " same Idempotency-Key to get the answer");
    }

    private static ApiError expired() {
        return ApiError.server(
                504,
                "expired",
                "this message expired before it was answered (older than recovery.maxMessageAge); send it again with"
                        + " a new Idempotency-Key");
    }
}
