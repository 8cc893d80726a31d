package io.connectorhub.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Durable record of every message that arrived, keyed by (channel, message id). A message is admitted before its
 * channel acknowledges it to the platform, so a crash after the acknowledgement loses nothing, and a redelivered
 * message is recognised and handled once. Implementations are thread-safe.
 */
public interface Inbox {
    /** Stores {@code message} unless its (channel, id) is known; on a repeat returns the stored original. */
    Admission admit(InboundMessage message);

    /**
     * Takes the message for processing under a lease. False if it is done, denied, or another worker's lease on it
     * has not run out, or if a message of its session must be answered first (an older one not finished, or one
     * another instance is answering): the caller must then leave it alone; see {@link #nextPending}.
     */
    boolean claim(InboundMessage message, Duration lease);

    /**
     * The oldest unfinished message of the session if no worker holds it: after finishing a message, the worker
     * takes this one next, since its claim may have been refused while the finished one was in the way.
     */
    Optional<InboundMessage> nextPending(String sessionKey);

    /**
     * Gives back the claim this instance may have taken on the message when it admitted it, because the message could
     * not be handed on (the bus stayed full): the message is pending again, for a redelivery or the inbox sweep to
     * queue. Does nothing otherwise.
     */
    void release(InboundMessage message);

    /** Marks the message finished without a reply (e.g. {@link Admission.State#DENIED}). */
    void finish(InboundMessage message, Admission.State state);

    /** Messages admitted but never finished (left by a crash), oldest first. */
    default List<InboundMessage> unfinished(int limit) {
        return unfinished(Duration.ZERO, limit);
    }

    /**
     * Unfinished messages admitted at least {@code olderThan} ago (pending, or processing under a lease that ran
     * out), oldest first.
     */
    List<InboundMessage> unfinished(Duration olderThan, int limit);
}
