package io.connectorhub.channel.websocket;

import io.connectorhub.core.Principal;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: its authentication state, rate limit, liveness and send backlog. Jetty calls the
 * listener methods one at a time per connection; {@link #send} may be called from any thread and never blocks.
 * (Public only because Jetty invokes listeners through a public lookup.)
 */
public final class Client implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(Client.class);
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_TRY_AGAIN_LATER = 1013;
    /** The user's access token expired and no fresh one came with {@code connect}. */
    static final int CLOSE_TOKEN_EXPIRED = 4001;
    /** The user was disabled or deleted, or their sign-in session ended. */
    static final int CLOSE_SIGNED_OUT = 4003;

    private final WebSocketChannel channel;
    private final String id;
    private final String ip;
    private final long connectedAt;
    private final RateLimiter rateLimiter;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final long maxPendingBytes;
    /** Inbound message ids this connection waits for a reply to. */
    final Set<String> waitingFor = ConcurrentHashMap.newKeySet();
    /** Chats (session keys as the client names them) this connection has used; unasked messages go there. */
    final Set<String> chats = ConcurrentHashMap.newKeySet();

    private volatile Session session;
    private volatile boolean authenticated;
    private volatile String clientId;
    /** The signed-in user, or null for a connection with the shared token (the owner). */
    private volatile Principal principal;

    private volatile long lastSeen;
    private volatile boolean closing;

    Client(
            WebSocketChannel channel,
            String id,
            boolean authenticated,
            String clientId,
            String ip,
            long now,
            int perMinute,
            long maxPendingBytes) {
        this.channel = channel;
        this.id = id;
        this.authenticated = authenticated;
        this.clientId = clientId;
        this.ip = ip;
        this.connectedAt = now;
        this.lastSeen = now;
        this.maxPendingBytes = maxPendingBytes;
        this.rateLimiter = RateLimiter.of(
                "ws-" + id,
                RateLimiterConfig.custom()
                        .limitForPeriod(perMinute)
                        .limitRefreshPeriod(Duration.ofMinutes(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    String id() {
        return id;
    }

    /** The client's IP address, as the hub's per-IP limits see it. */
    String ip() {
        return ip;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** Authenticated as {@code user} (null: the owner, with the shared token). */
    void authenticate(String newClientId, Principal user) {
        if (newClientId != null) this.clientId = newClientId;
        this.principal = user;
        this.authenticated = true;
    }

    /** The signed-in user, or null for the owner. */
    Principal principal() {
        return principal;
    }

    /**
     * What this connection's session keys are prefixed with in the store's chat ids: nothing for the owner, {@code
     * @<user id>/} for a user (a client cannot name a key with {@code /}, so it cannot leave its namespace).
     */
    String namespace() {
        Principal p = principal;
        return p == null ? "" : "@" + p.userId() + "/";
    }

    String clientId() {
        return clientId;
    }

    long connectedAt() {
        return connectedAt;
    }

    long lastSeen() {
        return lastSeen;
    }

    /** Takes one message from the budget; if none is left, how long until there is (else null). */
    Duration takeRateBudget() {
        if (rateLimiter.acquirePermission()) return null;
        long nanos = ((AtomicRateLimiter) rateLimiter).getDetailedMetrics().getNanosToWait();
        return Duration.ofNanos(Math.max(nanos, 1_000_000));
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        channel.opened(this);
    }

    @Override
    public void onWebSocketText(String frame) {
        lastSeen = channel.now();
        channel.received(this, frame);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastSeen = channel.now();
        callback.succeed();
        send(channel.rpc()
                .error(
                        null,
                        new Rpc.Failure(
                                Rpc.INVALID_REQUEST,
                                "invalid request: binary frames are not supported, send JSON text")));
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastSeen = channel.now();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closing = true;
        channel.closed(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("WebSocket client {} error: {}", id, cause.toString());
    }

    /**
     * Queues a frame without blocking. A client whose unsent backlog is already past {@code maxPendingBytes} is too
     * slow to keep: it is disconnected, so it cannot hold memory or other clients hostage. Returns false if not queued.
     */
    boolean send(String frame) {
        Session s = session;
        if (s == null || closing || !s.isOpen()) return false;
        long size = frame.length();
        if (pendingBytes.get() > maxPendingBytes) {
            channel.slowConsumer(this, maxPendingBytes);
            close(CLOSE_POLICY, "too slow: more than " + maxPendingBytes + " bytes waiting to be read");
            s.disconnect();
            return false;
        }
        pendingBytes.addAndGet(size);
        s.sendText(frame, Callback.from(() -> pendingBytes.addAndGet(-size), failure -> pendingBytes.addAndGet(-size)));
        return true;
    }

    void ping() {
        Session s = session;
        if (s != null && s.isOpen()) s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }

    void close(int code, String reason) {
        Session s = session;
        if (s == null || closing) return;
        closing = true;
        s.close(code, reason, Callback.NOOP);
    }
}
