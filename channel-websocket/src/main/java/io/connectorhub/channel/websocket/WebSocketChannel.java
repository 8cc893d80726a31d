package io.connectorhub.channel.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.Json;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Principal;
import io.connectorhub.core.UserTokens;
import io.javalin.config.JavalinConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket / JSON-RPC 2.0 channel at {@code /ws}. Clients authenticate with the token (an
 * {@code Authorization: Bearer} header on the upgrade, or a first {@code connect} call), then chat. A reply goes to
 * the connection that asked (deltas as {@code event} notifications for {@code chat.send_stream}); a message nobody
 * asked for goes to the connections that have used its session. Connections are pinged and closed when silent,
 * rate limited, and disconnected when too slow to read. One client IP may hold at most
 * {@code maxUnauthenticatedPerIp} connections that have not authenticated yet, and wrong tokens count toward the
 * hub's per-IP lockout ({@link AuthFailures}); both are refused with 429 on the upgrade. Thread-safe.
 */
public final class WebSocketChannel extends BaseChannel {
    private static final Logger log = LoggerFactory.getLogger(WebSocketChannel.class);
    public static final String NAME = "websocket";
    public static final String PATH = "/ws";

    /** A request waiting for its reply. {@code chat} is the session key as the client named it. */
    record Waiter(Client client, JsonNode rpcId, boolean stream, String chat) {}

    private final WebSocketSettings config;
    private volatile String token;
    private final ChannelContext context;
    private final Rpc rpc = new Rpc(Json.newMapper());
    private final Methods methods;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    /** Connections upgraded without a token that have neither authenticated nor timed out or closed yet. */
    private final Set<Client> unauthenticated = ConcurrentHashMap.newKeySet();

    private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();
    /**
     * The replies delivered lately, so that a reply delivered twice (relayed by the instance that answered, and sent
     * again by one that took it over, or read from the store by a repeated request) reaches a connection once.
     */
    private final Set<String> delivered = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DELIVERED_KEPT;
        }
    });

    private static final int DELIVERED_KEPT = 10_000;
    private ScheduledExecutorService timer;
    private long lastPing;

    WebSocketChannel(CommonChannelSettings common, WebSocketSettings config, ChannelContext context) {
        super(NAME, common.allowList());
        this.config = config;
        this.context = context;
        this.methods = new Methods(this, context, config);
    }

    @Override
    public void mount(JavalinConfig http) {
        http.jetty.modifyServletContextHandler(handler -> handler.addServlet(new ServletHolder(new Endpoint()), PATH));
    }

    /** Jetty's WebSocket servlet for {@code /ws}: size limits, and the checks made before a connection exists. */
    private final class Endpoint extends JettyWebSocketServlet {
        @Override
        protected void configure(JettyWebSocketServletFactory factory) {
            factory.setMaxTextMessageSize(config.maxMessageBytes());
            factory.setMaxBinaryMessageSize(config.maxMessageBytes());
            // Liveness is judged by pongs (see sweep); this is only a backstop for connections that stop everything.
            factory.setIdleTimeout(config.pingInterval().multipliedBy(4).plus(config.authTimeout()));
            factory.addMapping("/", WebSocketChannel.this::upgrade);
        }
    }

    private Object upgrade(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) throws Exception {
        String ip = request.getHttpServletRequest().getRemoteAddr(); // resolved as for every route (trusted proxies)
        if (context.authFailures().lockedOut(ip)) {
            response.setHeader("Retry-After", AuthFailures.RETRY_AFTER_SECONDS);
            response.sendError(429, AuthFailures.LOCKED_OUT);
            return null;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin, request.getHeader("Host"))) {
            response.sendForbidden("origin " + origin + " is not allowed: add it to channels.websocket.allowedOrigins");
            return null;
        }
        if (clients.size() >= config.maxConnections()) {
            response.sendError(
                    503, "too many connections (channels.websocket.maxConnections = " + config.maxConnections() + ")");
            return null;
        }
        boolean authenticated = false;
        Principal user = null;
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String presented = authorization.startsWith("Bearer ")
                    ? authorization.substring(7).strip()
                    : "";
            if (!tokenMatches(presented)) {
                switch (context.users().check(presented)) {
                    case UserTokens.Check.Valid(Principal p) -> user = p;
                    case UserTokens.Check.Expired e -> {
                        response.sendError(401, "the access token expired: refresh it and connect again");
                        return null;
                    }
                    case UserTokens.Check.Invalid i -> {
                        context.authFailures().record(ip);
                        log.info("Refused a WebSocket upgrade from {}: wrong token in the Authorization header", ip);
                        response.sendError(401, "invalid token in the Authorization header");
                        return null;
                    }
                }
            }
            authenticated = true;
        }
        String clientId = request.getHeader("X-Client-Id");
        if (clientId == null || clientId.isBlank()) clientId = "ws-client";
        Client client = new Client(
                this,
                UUID.randomUUID().toString(),
                authenticated,
                clientId,
                ip,
                now(),
                config.rateLimitPerMinute(),
                config.maxPendingBytes());
        if (authenticated) client.authenticate(null, user);
        if (!authenticated && !admitUnauthenticated(client)) {
            response.sendError(
                    429,
                    "too many connections from " + ip + " that have not authenticated"
                            + " (channels.websocket.maxUnauthenticatedPerIp = " + config.maxUnauthenticatedPerIp()
                            + "): authenticate them with connect, or close some");
            return null;
        }
        return client;
    }

    /** Counts {@code client} among the unauthenticated connections of its IP, unless that IP has its fill. */
    private boolean admitUnauthenticated(Client client) {
        synchronized (unauthenticated) {
            long fromIp = unauthenticated.stream()
                    .filter(c -> c.ip().equals(client.ip()))
                    .count();
            if (fromIp >= config.maxUnauthenticatedPerIp()) return false;
            unauthenticated.add(client);
            return true;
        }
    }

    private boolean originAllowed(String origin, String host) {
        if (config.allowedOrigins().contains("*") || config.allowedOrigins().contains(origin)) return true;
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    /**
     * Takes the token from the configuration, or the generated one ({@code <dataDir>/websocket.token}, or the
     * database's secrets on PostgreSQL), generating it on first run.
     */
    @Override
    public void start() {
        token = config.token().isEmpty()
                ? context.secrets()
                        .loadOrCreate(
                                TOKEN_FILE, "WebSocket token", "channels.websocket.token (or HUB_TOKEN)", System.out)
                : config.token();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ws-timer").daemon().factory());
        lastPing = now();
        timer.scheduleAtFixedRate(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
        log.info(
                "WebSocket channel at {} (token {})",
                PATH,
                config.token().isEmpty() ? "generated: " + TOKEN_FILE : "from config");
    }

    static final String TOKEN_FILE = "websocket.token";

    /** Closes unauthenticated connections after the auth timeout and silent ones after 2.5 ping intervals; pings. */
    private void sweep() {
        try {
            long now = now();
            long silentAfter = config.pingInterval().toMillis() * 5 / 2;
            boolean pingDue = now - lastPing >= config.pingInterval().toMillis();
            if (pingDue) lastPing = now;
            // Closed below if they are open; also frees the count of one whose upgrade never completed.
            unauthenticated.removeIf(
                    c -> now - c.connectedAt() > config.authTimeout().toMillis());
            for (Client c : clients) {
                if (!c.authenticated()
                        && now - c.connectedAt() > config.authTimeout().toMillis()) {
                    c.send(rpc.error(
                            null,
                            new Rpc.Failure(
                                    Rpc.UNAUTHORIZED,
                                    "unauthorized: no connect with a valid token within "
                                            + config.authTimeout().toSeconds() + "s")));
                    c.close(Client.CLOSE_POLICY, "authentication timeout");
                } else if (c.principal() != null
                        && !c.principal().expiresAt().isAfter(context.clock().instant())) {
                    c.close(Client.CLOSE_TOKEN_EXPIRED, "token expired");
                } else if (c.principal() != null && context.revocations().revoked(c.principal())) {
                    log.info(
                            "Closing WebSocket client {} of user {}: signed out",
                            c.id(),
                            c.principal().userId());
                    c.close(Client.CLOSE_SIGNED_OUT, "signed out");
                } else if (now - c.lastSeen() > silentAfter) {
                    log.debug("Closing silent WebSocket client {}", c.id());
                    c.close(Client.CLOSE_GOING_AWAY, "no pong for " + silentAfter / 1000 + "s");
                } else if (pingDue) {
                    c.ping();
                }
            }
        } catch (RuntimeException e) {
            log.warn("WebSocket sweep failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (timer != null) timer.shutdownNow();
        for (Client c : clients) c.close(Client.CLOSE_GOING_AWAY, "hub shutting down");
    }

    /** Clients connect to each instance: replies another instance sent reach this one's clients through the hub. */
    @Override
    public boolean holdsConnections() {
        return true;
    }

    @Override
    public void send(OutboundMessage message) {
        if (message.kind() == OutboundMessage.Kind.MESSAGE && !firstDelivery(message.id())) return;
        if (message.inReplyTo() != null) {
            switch (message.kind()) {
                case DELTA -> {
                    for (Waiter w : waiting.getOrDefault(message.inReplyTo(), List.of())) {
                        if (w.stream()) w.client().send(rpc.event(delta(w, message)));
                    }
                    return;
                }
                case TYPING -> {
                    return;
                }
                case MESSAGE -> {
                    List<Waiter> waiters = waiting.remove(message.inReplyTo());
                    if (waiters != null && !waiters.isEmpty()) {
                        for (Waiter w : waiters) {
                            w.client().waitingFor.remove(message.inReplyTo());
                            w.client().send(rpc.result(w.rpcId(), result(message, w.chat())));
                        }
                        return;
                    }
                }
            }
        }
        if (message.kind() != OutboundMessage.Kind.MESSAGE) return;
        // Nobody waits for it (an unasked message, or the asker left): tell whoever uses this session.
        ObjectNode event = rpc.mapper().createObjectNode();
        event.put("type", "chat.message");
        event.put("message_id", message.id());
        event.put("text", message.content());
        event.put("timestamp", message.timestamp().toString());
        for (Client c : clients) {
            if (!c.chats.contains(message.chatId())) continue;
            event.put("session_key", message.chatId().substring(c.namespace().length()));
            c.send(rpc.event(event));
        }
    }

    /** True the first time {@code replyId} is delivered by this instance lately (see {@link #delivered}). */
    boolean firstDelivery(String replyId) {
        synchronized (delivered) {
            return delivered.add(replyId);
        }
    }

    /** Answers the requests waiting for these messages with error -32005: they will never be answered. */
    @Override
    public void expired(List<String> inboundIds) {
        for (String id : inboundIds) {
            List<Waiter> waiters = waiting.remove(id);
            if (waiters == null) continue;
            for (Waiter w : waiters) {
                w.client().waitingFor.remove(id);
                w.client().send(rpc.error(w.rpcId(), Rpc.Failure.expired()));
            }
        }
    }

    private ObjectNode delta(Waiter w, OutboundMessage message) {
        ObjectNode event = rpc.mapper().createObjectNode();
        event.put("type", "chat.delta");
        event.set("request_id", w.rpcId());
        event.put("message_id", message.id());
        event.put("session_key", w.chat());
        event.put("delta", message.content());
        return event;
    }

    static Map<String, Object> result(OutboundMessage reply, String chat) {
        return Map.of(
                "message_id", reply.id(),
                "text", reply.content(),
                "timestamp", reply.timestamp().toString(),
                "session_key", chat);
    }

    // ---- called by Client and Methods ----

    void opened(Client client) {
        clients.add(client);
        if (clients.size() > config.maxConnections()) {
            client.close(Client.CLOSE_TRY_AGAIN_LATER, "too many connections");
        }
    }

    void closed(Client client) {
        clients.remove(client);
        unauthenticated.remove(client);
        for (String id : client.waitingFor) forget(id, client);
    }

    void received(Client client, String frame) {
        methods.handle(client, frame);
    }

    void slowConsumer(Client client, long limit) {
        context.metrics().increment(NAME, "slow_consumers");
        log.warn(
                "Disconnecting WebSocket client {} ({}): more than {} bytes waiting to be read",
                client.id(),
                client.clientId(),
                limit);
    }

    /** Registers {@code waiter} for the reply to {@code inboundId}; call before publishing the message. */
    void await(String inboundId, Waiter waiter) {
        waiter.client().waitingFor.add(inboundId);
        waiting.computeIfAbsent(inboundId, k -> new CopyOnWriteArrayList<>()).add(waiter);
    }

    /** Unregisters; true if the waiter was still registered (so nobody else has answered it). */
    boolean forget(String inboundId, Waiter waiter) {
        boolean[] removed = {false};
        waiting.computeIfPresent(inboundId, (k, list) -> {
            removed[0] = list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
        waiter.client().waitingFor.remove(inboundId);
        return removed[0];
    }

    private void forget(String inboundId, Client client) {
        waiting.computeIfPresent(inboundId, (k, list) -> {
            list.removeIf(w -> w.client() == client);
            return list.isEmpty() ? null : list;
        });
    }

    boolean tokenMatches(String presented) {
        return GeneratedSecret.matches(token, presented);
    }

    /** Whether {@code client}'s IP failed too often this minute (see {@link AuthFailures}). */
    boolean lockedOut(Client client) {
        return context.authFailures().lockedOut(client.ip());
    }

    /** Counts a wrong token from {@code client}'s IP toward its lockout. */
    void wrongToken(Client client) {
        context.authFailures().record(client.ip());
    }

    /**
     * Marks {@code client} authenticated (as {@code clientId}, if given) as {@code user} (null: the owner); it no longer
     * counts as unauthenticated.
     */
    void authenticated(Client client, String clientId, Principal user) {
        client.authenticate(clientId, user);
        unauthenticated.remove(client);
    }

    /** What a token presented in {@code connect} that is not the shared one is. */
    UserTokens.Check checkUser(String token) {
        return context.users().check(token);
    }

    int connections() {
        return clients.size();
    }

    Rpc rpc() {
        return rpc;
    }

    long now() {
        return context.clock().millis();
    }
}
