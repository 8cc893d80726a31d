package io.connectorhub.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Replies stored in the same transaction that finished their inbound message, until a channel has sent them.
 * After a crash, {@link #unsent} is published again, so a reply is delivered at least once. Thread-safe.
 */
public interface Outbox {
    List<OutboundMessage> unsent(int limit);

    /** The reply queued for an inbound message (also an apology for a failed turn), if there is one. */
    Optional<OutboundMessage> replyTo(String channel, String inboundId);

    void markSent(String messageId);

    /** Gives up on a message after its channel failed to deliver it; the error is kept for the status page. */
    void markFailed(String messageId, String error);

    /**
     * Marks the message expired, so it is never sent, if it is still unsent and was stored more than {@code olderThan}
     * ago. True if it did.
     */
    boolean expire(String messageId, Duration olderThan);
}
