package io.connectorhub.core;

import java.time.Duration;

/** A bus queue stayed full for the whole publish timeout; the caller should retry later, nothing was enqueued. */
public final class BusFullException extends HubException {
    private final Duration retryAfter;

    public BusFullException(String queue, int capacity, Duration retryAfter) {
        super("the " + queue + " queue is full (" + capacity + " messages); retry later or raise bus." + queue
                + "Capacity in hub.yaml");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
