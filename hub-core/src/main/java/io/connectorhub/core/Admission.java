package io.connectorhub.core;

/**
 * What the inbox made of an arriving message.
 *
 * @param state the stored message's state after admission
 * @param duplicate true if (channel, id) was already known: {@code message} is then the stored original
 * @param message the message as stored
 */
public record Admission(State state, boolean duplicate, InboundMessage message) {
    public enum State {
        /** Stored, waiting for the agent loop. */
        PENDING,
        /** A worker holds it under a lease. */
        PROCESSING,
        /** Answered (or deliberately left unanswered); never processed again. */
        DONE,
        /** The sender is not on the channel's allow-list; never reaches an agent. */
        DENIED,
        /**
         * Not answered: it waited longer than {@code recovery.maxMessageAge} (after an outage); never processed
         * again.
         */
        EXPIRED
    }

    /** True if the agent loop still has to see this message. */
    public boolean needsProcessing() {
        return state == State.PENDING;
    }
}
