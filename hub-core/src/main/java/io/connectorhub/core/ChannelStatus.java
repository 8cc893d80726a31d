package io.connectorhub.core;

/** A channel's state as shown by {@code /health} and the status API. */
public record ChannelStatus(String name, State state, String lastError) {
    public enum State {
        CREATED,
        STARTING,
        RUNNING,
        FAILED,
        STOPPED
    }
}
