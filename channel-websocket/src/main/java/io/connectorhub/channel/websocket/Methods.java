package io.connectorhub.channel.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.channel.websocket.WebSocketChannel.Waiter;
import io.connectorhub.core.Admission;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Principal;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.UserTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC methods of {@code /ws}: {@code connect}, {@code health}, {@code chat.send}, {@code chat.send_stream},
 * {@code chat.history}, {@code session.list}, {@code session.delete}. Sessions are the {@code websocket:} ones,
 * named to clients without the prefix. Thread-safe.
 */
final class Methods {
    private static final Logger log = LoggerFactory.getLogger(Methods.class);
    static final String DEFAULT_SESSION = "main";
    static final List<String> NAMES = List.of(
            "connect", "health", "chat.send", "chat.send_stream", "chat.history", "session.list", "session.delete");

    private final WebSocketChannel channel;
    private final ChannelContext context;
    private final WebSocketSettings config;
    private final Rpc rpc;

    Methods(WebSocketChannel channel, ChannelContext context, WebSocketSettings config) {
        this.channel = channel;
        this.context = context;
        this.config = config;
        this.rpc = channel.rpc();
    }

    void handle(Client client, String frame) {
        Duration wait = client.takeRateBudget();
        if (wait != null) {
            Map<String, Object> data = Map.of("retry_after_ms", wait.toMillis());
            client.send(rpc.error(
                    idOf(frame),
                    new Rpc.Failure(
                            Rpc.RATE_LIMITED,
                            "rate limit exceeded: "
                                    + config.rateLimitPerMinute() + " messages per minute per connection; retry in "
                                    + Math.max(1, wait.toSeconds()) + "s",
                            data)));
            return;
        }
        Rpc.Request request;
        try {
            request = rpc.parse(frame);
        } catch (Rpc.Failure f) {
            client.send(rpc.error(f.id, f));
            return;
        }
        if (!client.authenticated()
                && !request.method().equals("connect")
                && !request.method().equals("health")) {
            client.send(
                    rpc.error(
                            request.id(),
                            new Rpc.Failure(
                                    Rpc.UNAUTHORIZED,
                                    "unauthorized: call connect with the token first, or send an Authorization: Bearer header")));
            client.close(Client.CLOSE_POLICY, "unauthorized");
            return;
        }
        try {
            Principal user = client.principal();
            if (user != null
                    && !request.method().equals("connect")
                    && !user.expiresAt().isAfter(context.clock().instant())) {
                throw new Rpc.Failure(Rpc.TOKEN_EXPIRED, "token expired: connect again with a fresh access token");
            }
            Object result = switch (request.method()) {
                case "connect" -> connect(client, request.params());
                case "health" -> Map.of("status", "ok", "connections", channel.connections());
                case "chat.send" -> chat(client, request, false);
                case "chat.send_stream" -> chat(client, request, true);
                case "chat.history" -> history(client, request.params());
                case "session.list" -> sessions(client, request.params());
                case "session.delete" -> delete(client, request.params());
                default ->
                    throw new Rpc.Failure(
                            Rpc.METHOD_NOT_FOUND,
                            "method not found: " + request.method() + "; methods: " + String.join(", ", NAMES));
            };
            if (result != null && request.id() != null) client.send(rpc.result(request.id(), result));
        } catch (Rpc.Failure f) {
            if (request.id() != null) client.send(rpc.error(request.id(), f));
            if (f.code == Rpc.UNAUTHORIZED) client.close(Client.CLOSE_POLICY, "unauthorized");
            if (f.code == Rpc.TOKEN_EXPIRED) client.close(Client.CLOSE_TOKEN_EXPIRED, "token expired");
        } catch (BusFullException e) {
            if (request.id() != null) {
                client.send(rpc.error(
                        request.id(),
                        new Rpc.Failure(
                                Rpc.BUSY,
                                "the hub is busy; retry later",
                                Map.of("retry_after_ms", e.retryAfter().toMillis()))));
            }
        } catch (RuntimeException e) {
            log.error("WebSocket method {} failed for client {}", request.method(), client.id(), e);
            if (request.id() != null)
                client.send(rpc.error(request.id(), new Rpc.Failure(Rpc.INTERNAL_ERROR, "internal error")));
        }
    }

    private Object connect(Client client, ObjectNode params) {
        String clientId = Rpc.optionalKey(params, "client_id", null);
        JsonNode presented = params.get("token");
        if (!client.authenticated() && channel.lockedOut(client)) {
            throw new Rpc.Failure(
                    Rpc.UNAUTHORIZED, "unauthorized: too many failed attempts from your address; retry later");
        }
        if (presented == null && client.authenticated()) {
            channel.authenticated(client, clientId, client.principal());
        } else {
            Principal user = identify(client, presented);
            if (client.authenticated() && !sameIdentity(client.principal(), user)) {
                throw new Rpc.Failure(
                        Rpc.UNAUTHORIZED,
                        "unauthorized: a connection stays with the identity it connected as; open another one");
            }
            channel.authenticated(client, clientId, user);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("server", "connector-hub");
        result.put("client_id", client.clientId());
        result.put("methods", NAMES);
        result.put(
                "limits",
                Map.of(
                        "max_message_bytes", config.maxMessageBytes(),
                        "messages_per_minute", config.rateLimitPerMinute(),
                        "ping_interval_ms", config.pingInterval().toMillis()));
        return result;
    }

    /**
     * Who {@code presented} (the shared token or a user's access token) names: null for the owner, else the user.
     * Throws the error of a wrong token; an expired one is answered here ({@code 4001}) and yields null.
     */
    private Principal identify(Client client, JsonNode presented) {
        String token = presented != null && presented.isTextual() ? presented.asText() : "";
        if (channel.tokenMatches(token)) return null;
        return switch (channel.checkUser(token)) {
            case UserTokens.Check.Valid(Principal p) -> p;
            case UserTokens.Check.Expired e -> {
                throw new Rpc.Failure(Rpc.TOKEN_EXPIRED, "token expired: sign in again and connect with the new token");
            }
            case UserTokens.Check.Invalid i -> {
                channel.wrongToken(client);
                log.info("WebSocket client {} from {} presented a wrong token; closing", client.id(), client.ip());
                throw new Rpc.Failure(Rpc.UNAUTHORIZED, "unauthorized: wrong or missing params.token");
            }
        };
    }

    private static boolean sameIdentity(Principal before, Principal now) {
        return before == null ? now == null : now != null && before.userId().equals(now.userId());
    }

    /** Publishes the message; the reply is sent by {@link WebSocketChannel#send} when it comes (returns null). */
    private Object chat(Client client, Rpc.Request request, boolean stream) {
        ObjectNode params = request.params();
        String text = Rpc.requiredText(params, "text", config.maxMessageBytes());
        String named = Rpc.optionalKey(params, "session_key", DEFAULT_SESSION);
        String chat = client.namespace() + named;
        String idempotencyKey = Rpc.optionalKey(params, "idempotency_key", null);
        if (!channel.isAllowed(client.clientId())) {
            throw new Rpc.Failure(
                    Rpc.FORBIDDEN, "client id " + client.clientId() + " is not on channels.websocket.allowFrom");
        }
        String agent = agent(client, params.get("agent"), named);
        String inboundId = idempotencyKey != null ? "k:" + chat + ":" + idempotencyKey : "m:" + UUID.randomUUID();
        InboundMessage message = InboundMessage.builder(WebSocketChannel.NAME, inboundId)
                .sender(client.clientId())
                .chat(chat)
                .content(text)
                .agent(agent)
                .build();
        Waiter waiter = request.id() == null ? null : new Waiter(client, request.id(), stream, named);
        if (waiter != null) channel.await(inboundId, waiter);
        client.chats.add(chat);
        Admission admission;
        try {
            admission = context.inbound().accept(message);
        } catch (RuntimeException e) {
            if (waiter != null) channel.forget(inboundId, waiter);
            throw e;
        }
        if (!admission.duplicate() || waiter == null) return null;
        return switch (admission.state()) {
            case PENDING, PROCESSING -> null; // the reply will come to every waiter
            case DENIED -> {
                channel.forget(inboundId, waiter);
                throw new Rpc.Failure(
                        Rpc.FORBIDDEN, "this message was refused: sender not on channels.websocket.allowFrom");
            }
            case EXPIRED -> {
                channel.forget(inboundId, waiter);
                throw Rpc.Failure.expired();
            }
            case DONE -> {
                if (!channel.forget(inboundId, waiter)) yield null; // answered meanwhile by the live reply
                Optional<OutboundMessage> reply = context.outbox().replyTo(WebSocketChannel.NAME, inboundId);
                if (reply.isEmpty()) {
                    throw new Rpc.Failure(Rpc.INTERNAL_ERROR, "the reply to this idempotency key is no longer kept");
                }
                channel.firstDelivery(reply.get().id()); // so a copy relayed by another instance is not added
                yield WebSocketChannel.result(reply.get(), named);
            }
        };
    }

    /**
     * The agent that answers a message of {@code client}'s session {@code chat}: the one {@code named} ({@code
     * params.agent}), else the one the session was created with, else null (routed). Either must be one the client may
     * choose ({@code routing.choosable}, what {@code GET /api/v1/agents} shows), else the message is refused.
     */
    private String agent(Client client, JsonNode named, String chat) {
        List<String> choosable = context.agents().choosable(WebSocketChannel.NAME, client.clientId());
        if (named != null && !named.isNull()) {
            if (!named.isTextual() || named.asText().isBlank())
                throw new Rpc.Failure(Rpc.INVALID_PARAMS, "params.agent must be an agent id such as " + choosable);
            if (!choosable.contains(named.asText()))
                throw new Rpc.Failure(
                        Rpc.INVALID_PARAMS,
                        "params.agent " + named.asText() + " is not an agent you may choose; choose one of " + choosable
                                + " (GET /api/v1/agents)");
            return named.asText();
        }
        String kept = context.sessions()
                .get(key(client, chat))
                .map(SessionInfo::agent)
                .orElse(null);
        if (kept != null && !choosable.contains(kept))
            throw new Rpc.Failure(
                    Rpc.INVALID_PARAMS,
                    "session " + chat + " was made for agent " + kept + ", which you may no longer choose; name one of "
                            + choosable + " in params.agent");
        return kept;
    }

    private Object history(Client client, ObjectNode params) {
        String chat = Rpc.optionalKey(params, "session_key", DEFAULT_SESSION);
        int limit = Rpc.optionalInt(params, "limit", 1, 1000, 50);
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage m : context.sessions().history(key(client, chat), limit)) {
            messages.add(Map.of(
                    "id",
                    m.id(),
                    "role",
                    m.role(),
                    "text",
                    m.content(),
                    "timestamp",
                    m.createdAt().toString()));
        }
        return Map.of("session_key", chat, "messages", messages);
    }

    private Object sessions(Client client, ObjectNode params) {
        int limit = Rpc.optionalInt(params, "limit", 1, 1000, 100);
        String prefix = key(client, "");
        // The owner's prefix also matches users' sessions (websocket:@<id>/<key>), which it must not see: ask for
        // more until `limit` of its own are found or there are no more.
        List<Map<String, Object>> out = new ArrayList<>();
        for (int ask = limit; ; ask = (int) Math.min(4L * ask, Integer.MAX_VALUE)) {
            List<SessionInfo> found = context.sessions().list(prefix, ask);
            out.clear();
            for (SessionInfo s : found) {
                if (s.sessionKey().indexOf('/', prefix.length()) >= 0) continue; // a user's, seen by the owner
                if (out.size() == limit) break;
                out.add(Map.of(
                        "session_key", s.sessionKey().substring(prefix.length()),
                        "message_count", s.messageCount(),
                        "created_at", s.createdAt().toString(),
                        "updated_at", s.updatedAt().toString()));
            }
            if (out.size() == limit || found.size() < ask) return Map.of("sessions", out);
        }
    }

    private Object delete(Client client, ObjectNode params) {
        String chat = Rpc.optionalKey(params, "session_key", null);
        if (chat == null) throw new Rpc.Failure(Rpc.INVALID_PARAMS, "params.session_key is required");
        return Map.of("deleted", context.sessions().delete(key(client, chat)));
    }

    /** The stored session key of {@code client}'s session {@code chat}: {@code websocket:[@<user id>/]<chat>}. */
    private static String key(Client client, String chat) {
        return WebSocketChannel.NAME + ":" + client.namespace() + chat;
    }

    /** The id of a frame that is being refused before parsing, if it has a readable one. */
    private JsonNode idOf(String frame) {
        try {
            JsonNode id = rpc.mapper().readTree(frame).get("id");
            return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
        } catch (Exception e) {
            return null;
        }
    }
}
