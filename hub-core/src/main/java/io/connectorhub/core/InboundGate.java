package io.connectorhub.core;

/**
 * Where channels hand in what arrived: the message is stored in the inbox, then published to the bus. A channel
 * acknowledges a message to its platform only after {@link #accept} returned; if it throws (the store failed, or the
 * bus stayed full), the channel must not acknowledge, so the platform delivers again. Thread-safe.
 */
public interface InboundGate {
    /** Stores {@code message} (unless its id is known) and queues it for the agent loop; returns what the inbox said. */
    Admission accept(InboundMessage message);
}
