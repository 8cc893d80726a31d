package io.connectorhub.app.webhooks;

import static io.connectorhub.app.http.Api.badRequest;
import static io.connectorhub.app.http.Api.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.app.http.Api;
import io.connectorhub.app.webhooks.HookMessages.HookMessage;
import io.connectorhub.app.webhooks.Hooks.Hook;
import io.connectorhub.app.webhooks.WebhookDeliveries.Delivery;
import io.connectorhub.core.AllowList;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundGate;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.net.TargetGuard;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Inbound hooks: a generic HTTP channel named {@code hooks}. An admin creates a hook ({@code POST /api/v1/hooks});
 * systems then post {@code {text, sender?, chat?, callbackUrl?, idempotency_key?}} to {@code /hooks/{id}}, with the
 * hook's token as a bearer token or signed with its secret (Standard Webhooks). The message goes through the inbox
 * like any other; the reply is sent, signed, to {@code callbackUrl} through the delivery outbox, and can be read at
 * {@code GET /hooks/{id}/messages/{messageId}}. Wrong credentials count toward the hub's per-IP lockout (429).
 * Sessions are {@code hooks:<hook id>:<chat>}. Thread-safe.
 */
public final class HookChannel extends BaseChannel {
    public static final String NAME = "hooks";
    public static final String REPLY_EVENT = "message.reply";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final Hooks hooks;
    private final HookMessages messages;
    private final InboundGate inbound;
    private final TargetGuard guard;
    private final DeliveryWorker worker;
    private final OutboundWebhooks payloads;
    private final HubMetrics metrics;
    private final Clock clock;
    private final AuthFailures failures;

    /** @param failures the hub's per-IP lockout, which wrong hook credentials count toward */
    public HookChannel(
            AllowList allowList,
            Hooks hooks,
            HookMessages messages,
            InboundGate inbound,
            TargetGuard guard,
            DeliveryWorker worker,
            OutboundWebhooks payloads,
            HubMetrics metrics,
            Clock clock,
            AuthFailures failures) {
        super(NAME, allowList);
        this.hooks = hooks;
        this.messages = messages;
        this.inbound = inbound;
        this.guard = guard;
        this.worker = worker;
        this.payloads = payloads;
        this.metrics = metrics;
        this.clock = clock;
        this.failures = failures;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    /** Keeps the reply for {@code GET} and queues its callback delivery, if the message had a callback URL. */
    @Override
    public void send(OutboundMessage message) {
        if (message.kind() != OutboundMessage.Kind.MESSAGE) return;
        if (message.inReplyTo() == null)
            throw new HubException(
                    "the hooks channel only delivers replies; chat " + message.chatId() + " has no message to answer");
        HookMessage in = messages.find(message.inReplyTo())
                .orElseThrow(() -> new HubException("hook message " + message.inReplyTo() + " is not known"));
        Delivery callback = null;
        if (in.callbackUrl() != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("hook_id", in.hookId());
            data.put("message_id", in.messageId());
            data.put("reply_id", message.id());
            data.put("chat", message.chatId());
            data.put("text", message.content());
            callback = Delivery.pending(
                    "msg_" + message.id().replace("-", ""),
                    null,
                    in.hookId(),
                    in.callbackUrl(),
                    REPLY_EVENT,
                    payloads.payload(REPLY_EVENT, data));
        }
        messages.reply(in.messageId(), message.id(), message.content(), callback);
        if (callback != null) worker.wake();
    }

    @Override
    public void mount(JavalinConfig config) {
        config.routes.post("/hooks/{id}", this::receive);
        config.routes.get("/hooks/{id}/messages/{messageId}", this::message);
    }

    /** Admin: creates a hook; its token and secret are shown only in this answer. */
    public void create(Context ctx) {
        JsonNode body = Api.object(ctx);
        String description = Api.optionalText(body, "description", 500);
        String token = GeneratedSecret.random(32);
        String secret = WebhookSignature.newSecret();
        Hook hook = new Hook(
                "hook_" + GeneratedSecret.random(12),
                description == null ? "" : description,
                sha256(token),
                secret,
                clock.instant());
        hooks.insert(hook);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", hook.id());
        out.put("url", "/hooks/" + hook.id());
        out.put("token", token);
        out.put("secret", secret);
        ctx.status(201).json(out);
    }

    /** Admin: the hooks, without their credentials. */
    public void list(Context ctx) {
        ctx.json(Map.of(
                "hooks",
                hooks.list().stream()
                        .map(h -> Map.of(
                                "id", h.id(),
                                "description", h.description(),
                                "url", "/hooks/" + h.id(),
                                "createdAt", h.createdAt()))
                        .toList()));
    }

    /** Admin: deletes a hook. */
    public void delete(Context ctx) {
        if (!hooks.delete(ctx.pathParam("id"))) throw notFound("hook " + ctx.pathParam("id"));
        ctx.status(204);
    }

    private void receive(Context ctx) {
        Caller caller = authenticate(ctx);
        Hook hook = caller.hook();
        JsonNode body = Api.object(ctx);
        String text = Api.text(body, "text", 100_000);
        String sender = orDefault(Api.optionalText(body, "sender", 128), "hook");
        String chat = orDefault(Api.optionalText(body, "chat", 128), "main");
        String callback = Api.optionalText(body, "callbackUrl", 2048);
        if (callback != null) {
            String problem = guard.problem(callback);
            if (problem != null) throw badRequest("callbackUrl", problem);
        }
        String key = Api.optionalText(body, "idempotency_key", 128);
        if (key != null && !KEY.matcher(key).matches())
            throw badRequest("idempotency_key", "must be 1-128 characters of A-Za-z0-9._:@-");
        if (key == null) key = caller.signedId();
        if (key == null || !KEY.matcher(key).matches()) key = UUID.randomUUID().toString();
        if (!isAllowed(sender)) {
            metrics.increment(NAME, HubMetrics.DENIED);
            throw new Api.Error(403, "sender " + sender + " is not on webhooks.hooksAllowFrom");
        }
        String id = hook.id() + ":" + key;
        messages.insert(new HookMessage(id, hook.id(), callback, null, null, null, null));
        InboundMessage message = InboundMessage.builder(NAME, id)
                .sender(sender)
                .chat(hook.id() + ":" + chat)
                .content(text)
                .timestamp(clock.instant())
                .build();
        try {
            boolean duplicate = inbound.accept(message).duplicate();
            ctx.status(202)
                    .json(Map.of(
                            "message_id", id,
                            "duplicate", duplicate,
                            "status_url", "/hooks/" + hook.id() + "/messages/" + id));
        } catch (BusFullException e) {
            ctx.header("Retry-After", "5");
            throw new Api.Error(503, "the hub is busy; retry in a few seconds");
        }
    }

    private void message(Context ctx) {
        Hook hook = authenticate(ctx).hook();
        String id = ctx.pathParam("messageId");
        HookMessage m = messages.find(id)
                .filter(found -> found.hookId().equals(hook.id()))
                .orElseThrow(() -> notFound("message " + id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", m.messageId());
        out.put("status", m.reply() == null ? "pending" : "answered");
        if (m.reply() != null)
            out.put("reply", Map.of("id", m.replyId(), "text", m.reply(), "timestamp", m.repliedAt()));
        ctx.json(out);
    }

    /** Who sent a request: the hook, and the {@code webhook-id} its valid signature vouches for (else null). */
    private record Caller(Hook hook, String signedId) {}

    /**
     * The caller, if the request carries the hook's token or a valid signature, and every credential it carries is
     * valid (a token with a signature that does not verify is refused: nothing unverified is trusted, not even the
     * {@code webhook-id}); else 404 or 401. Wrong credentials count toward the client's lockout, and a locked-out
     * client gets 429 whatever it sends.
     */
    private Caller authenticate(Context ctx) {
        if (failures.lockedOut(ctx.ip())) {
            ctx.header("Retry-After", AuthFailures.RETRY_AFTER_SECONDS);
            throw new Api.Error(429, AuthFailures.LOCKED_OUT);
        }
        String id = ctx.pathParam("id");
        Hook hook = hooks.find(id).orElseThrow(() -> notFound("hook " + id));
        String token = AdminAuth.bearer(ctx);
        boolean signed = ctx.header("webhook-signature") != null;
        boolean tokenValid = token != null && GeneratedSecret.matches(hook.tokenHash(), sha256(token));
        boolean signatureValid = signed
                && WebhookSignature.verify(
                        hook.secret(),
                        ctx.header("webhook-id"),
                        ctx.header("webhook-timestamp"),
                        ctx.header("webhook-signature"),
                        ctx.body(),
                        clock.instant());
        if ((token == null || tokenValid) && (!signed || signatureValid) && (tokenValid || signatureValid))
            return new Caller(hook, signatureValid ? ctx.header("webhook-id") : null);
        failures.record(ctx.ip());
        ctx.header("WWW-Authenticate", "Bearer");
        throw new Api.Error(
                401,
                tokenValid
                        ? "the webhook-signature does not verify: sign with the hook's secret, or send the token"
                                + " without webhook-* headers"
                        : "missing or wrong credentials: send Authorization: Bearer <hook token>, or sign the body"
                                + " with the hook's secret (webhook-id, webhook-timestamp, webhook-signature)");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    static String sha256(String value) {
        return HexFormat.of().formatHex(GeneratedSecret.sha256(value));
    }
}
