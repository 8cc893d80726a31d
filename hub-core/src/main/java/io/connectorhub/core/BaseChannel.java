package io.connectorhub.core;

import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * A chat platform connection. Subclasses implement {@link #start()}, {@link #stop()} and {@link #send}; the hub
 * calls them, containing any failure to this channel. Lifecycle: constructed without I/O,
 * {@link #mount} (before the HTTP server starts), {@link #start()}, then {@link #stop()} (idempotent).
 * {@link #send} may be called from many threads, but never concurrently for the same chat. A channel whose receiving
 * connection the platform allows only once per bot says so with {@link #singleConnection()}: the hub then opens that
 * connection with {@link #openConnection()} on one instance at a time, and {@link #send} must work without it unless
 * the channel {@linkplain #sendsOverConnection() sends over it}.
 */
public abstract class BaseChannel {
    private final String name;
    private final AllowList allowList;
    private volatile String lastError;
    private volatile Runnable onFailure = () -> {};

    protected BaseChannel(String name, AllowList allowList) {
        this.name = name;
        this.allowList = allowList;
    }

    public final String name() {
        return name;
    }

    /** Connects to the platform and starts receiving. Throwing marks the channel failed; the hub runs on. */
    public abstract void start() throws Exception;

    /** Stops receiving and releases resources; safe to call twice or without a successful start. */
    public abstract void stop();

    /**
     * Whether this channel, as configured, receives over a connection the platform allows only once per bot (a long
     * poll, a gateway session). Then {@link #start()} prepares only what sending and other receiving need, and the
     * hub calls {@link #openConnection()} on the one instance holding the channel's lock (on a single instance: at
     * once, after {@link #start()}). Called after {@link #start()}; must do no I/O. Default: no.
     */
    public boolean singleConnection() {
        return false;
    }

    /**
     * Opens the single connection (see {@link #singleConnection()}) after a successful {@link #start()}; throwing marks
     * the channel failed. May be called again after {@link #closeConnection()}. Default: nothing.
     */
    public void openConnection() throws Exception {}

    /**
     * Closes the single connection promptly and stops receiving over it (the hub calls it when this instance lost the
     * channel's lock, so another instance may open it); safe to call twice or without {@link #openConnection()}.
     * Default: nothing.
     */
    public void closeConnection() {}

    /**
     * Whether {@link #send} needs the {@linkplain #singleConnection() single connection} open (Discord sends through
     * its gateway session). Then, with several instances on one database, an instance that does not hold the
     * connection never sends for this channel: it gives its replies back in the store to the instance that holds it,
     * and drops typing hints and streamed pieces. Default: no.
     */
    public boolean sendsOverConnection() {
        return false;
    }

    /** Delivers one message (or a streaming part: see {@link OutboundMessage.Kind}); throws if it could not. */
    public abstract void send(OutboundMessage message) throws Exception;

    /** True if {@code senderId} is on this channel's allow-list (exact match, or {@code "*"}). */
    public boolean isAllowed(String senderId) {
        return allowList.allows(senderId);
    }

    /**
     * Told that this channel's messages {@code inboundIds} ({@link InboundMessage#id()}) were marked expired: they
     * waited longer than {@code recovery.maxMessageAge} and will never be answered, so nobody should wait for their
     * reply. Default: nothing.
     */
    public void expired(List<String> inboundIds) {}

    /**
     * True if this channel's clients connect to the hub (the WebSocket channel) rather than the hub to a platform.
     * Then, with several instances on one database, a message another instance sent for this channel, and each
     * streamed piece of a reply, is also given to {@link #send} here, for the clients connected to this instance;
     * {@link #send} must then deliver to this instance's own clients only, and tolerate a reply it delivered already.
     * Default false: a platform gets each message once, from the instance that sends it.
     */
    public boolean holdsConnections() {
        return false;
    }

    /** Adds this channel's HTTP or WebSocket routes to the hub's one server. Default: none. */
    public void mount(JavalinConfig http) {}

    /** The last problem this channel reported (without secrets), or null. */
    public String lastError() {
        return lastError;
    }

    /**
     * Records a problem for the status page; pass null once it is resolved. The hub records here why {@link #start()}
     * failed.
     */
    public final void reportError(String problem) {
        this.lastError = problem;
    }

    /**
     * Marks this running channel failed: the platform ended it for good (a revoked token, a missing permission) and
     * it will not recover by itself. The status shows {@code failed} with {@code problem}, which is logged once.
     */
    protected void reportFailure(String problem) {
        this.lastError = problem;
        onFailure.run();
    }

    /** For the hub, which registers here when it adds the channel: {@code listener} runs on {@link #reportFailure}. */
    public final void onFailure(Runnable listener) {
        this.onFailure = listener;
    }
}
