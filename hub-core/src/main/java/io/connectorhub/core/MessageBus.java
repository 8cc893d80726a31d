package io.connectorhub.core;

import java.time.Duration;

/**
 * The two queues between channels and the agent loop. Both are bounded: a publish into a full queue waits up to
 * the bus's publish timeout and then fails with {@link BusFullException}; nothing is dropped silently.
 * Implementations are thread-safe.
 */
public interface MessageBus {
    void publishInbound(InboundMessage message);

    /** The next inbound message, or null if none arrived within {@code wait}. */
    InboundMessage takeInbound(Duration wait) throws InterruptedException;

    void publishOutbound(OutboundMessage message);

    /** The next outbound message, or null if none arrived within {@code wait}. */
    OutboundMessage takeOutbound(Duration wait) throws InterruptedException;

    int inboundDepth();

    int outboundDepth();
}
