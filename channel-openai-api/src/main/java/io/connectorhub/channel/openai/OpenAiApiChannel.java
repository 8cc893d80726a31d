package io.connectorhub.channel.openai;

import io.connectorhub.channel.openai.OpenAiApiSettings.ApiKey;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.OutboundMessage;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible chat API on the hub's port: {@code GET /v1/models} lists the agents a key may use, and
 * {@code POST /v1/chat/completions} ({@link Completions}) asks one of them through the inbox and the agent loop. Callers
 * authenticate with {@code Authorization: Bearer <key>}; wrong keys count toward the hub's per-IP lockout
 * ({@link AuthFailures}). A request waits for its reply here: {@link #send} hands each part of a reply to the requests
 * waiting for it. Thread-safe.
 */
public final class OpenAiApiChannel extends BaseChannel {
    private static final Logger log = LoggerFactory.getLogger(OpenAiApiChannel.class);
    public static final String NAME = "openaiApi";

    /** Put in a waiter's queue when its message expired unanswered. */
    static final OutboundMessage EXPIRED = OutboundMessage.to(NAME, "-", "");
    /** Put in a waiter's queue when the hub stops before its reply came (the next start answers the message). */
    static final OutboundMessage STOPPING = OutboundMessage.to(NAME, "-", "");

    private final OpenAiApiSettings settings;
    private final ChannelContext context;
    private final Completions completions;
    private final Map<String, List<BlockingQueue<OutboundMessage>>> waiting = new ConcurrentHashMap<>();
    private volatile long startedAt;

    OpenAiApiChannel(CommonChannelSettings common, OpenAiApiSettings settings, ChannelContext context) {
        super(NAME, common.allowList());
        this.settings = settings;
        this.context = context;
        this.completions = new Completions(this, context, settings);
    }

    @Override
    public void mount(JavalinConfig http) {
        http.routes.get("/v1/models", answering(ctx -> ctx.json(list(usable(authenticate(ctx))))));
        http.routes.get("/v1/models/{model}", answering(ctx -> {
            List<String> usable = usable(authenticate(ctx));
            String model = ctx.pathParam("model");
            if (!usable.contains(model)) throw ApiError.modelNotFound(model, usable);
            ctx.json(model(model));
        }));
        http.routes.post("/v1/chat/completions", answering(completions::handle));
    }

    /** {@code handler}, with an {@link ApiError} answered in OpenAI's shape. */
    private static Handler answering(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (ApiError e) {
                if (e.retryAfter != null) ctx.header("Retry-After", e.retryAfter);
                ctx.status(e.status).json(e.body());
            }
        };
    }

    @Override
    public void start() {
        startedAt = context.clock().instant().getEpochSecond();
        log.info("OpenAI-compatible API at /v1 ({} keys)", settings.keys().size());
    }

    @Override
    public void stop() {
        for (String id : List.copyOf(waiting.keySet())) {
            List<BlockingQueue<OutboundMessage>> queues = waiting.remove(id);
            if (queues != null) queues.forEach(q -> q.offer(STOPPING));
        }
    }

    @Override
    public void send(OutboundMessage message) {
        if (message.inReplyTo() == null) return; // nobody asked: an HTTP API has nobody to tell
        List<BlockingQueue<OutboundMessage>> queues = message.kind() == OutboundMessage.Kind.MESSAGE
                ? waiting.remove(message.inReplyTo())
                : waiting.get(message.inReplyTo());
        if (queues != null) queues.forEach(q -> q.offer(message));
    }

    @Override
    public void expired(List<String> inboundIds) {
        for (String id : inboundIds) {
            List<BlockingQueue<OutboundMessage>> queues = waiting.remove(id);
            if (queues != null) queues.forEach(q -> q.offer(EXPIRED));
        }
    }

    /** A queue that gets the parts of the reply to {@code inboundId}; register before handing the message in. */
    BlockingQueue<OutboundMessage> await(String inboundId) {
        BlockingQueue<OutboundMessage> queue = new LinkedBlockingQueue<>();
        waiting.computeIfAbsent(inboundId, k -> new CopyOnWriteArrayList<>()).add(queue);
        return queue;
    }

    void forget(String inboundId, BlockingQueue<OutboundMessage> queue) {
        waiting.computeIfPresent(inboundId, (k, list) -> {
            list.remove(queue);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * The key the request presents as {@code Authorization: Bearer}; else throws 401 (counted toward the caller's
     * lockout) or, for a locked-out caller, 429.
     */
    ApiKey authenticate(Context ctx) {
        if (context.authFailures().lockedOut(ctx.ip())) {
            throw new ApiError(
                    429,
                    "rate_limit_exceeded",
                    "rate_limit_exceeded",
                    null,
                    "too many failed attempts from your address; retry later",
                    AuthFailures.RETRY_AFTER_SECONDS);
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.startsWith("Bearer ")
                ? header.substring(7).strip()
                : null;
        ApiKey found = null;
        for (ApiKey key : settings.keys()) {
            if (GeneratedSecret.matches(key.key(), presented)) found = key; // no early exit: same time for every key
        }
        if (found == null) {
            context.authFailures().record(ctx.ip());
            log.info("Refused an OpenAI API request from {}: {}", ctx.ip(), presented == null ? "no key" : "wrong key");
            throw new ApiError(
                    401,
                    "invalid_request_error",
                    "invalid_api_key",
                    null,
                    presented == null
                            ? "no API key: send Authorization: Bearer <key> with a key of channels.openaiApi.keys"
                            : "invalid API key: use a key of channels.openaiApi.keys",
                    null);
        }
        return found;
    }

    /** The agents {@code key} may name as {@code model}: those the hub lets its holder choose, narrowed by the key. */
    List<String> usable(ApiKey key) {
        return context.agents().choosable(NAME, key.name()).stream()
                .filter(key::mayUse)
                .toList();
    }

    private Map<String, Object> list(List<String> models) {
        return Map.of("object", "list", "data", models.stream().map(this::model).toList());
    }

    private Map<String, Object> model(String id) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", startedAt);
        model.put("owned_by", "connector-hub");
        return model;
    }
}
