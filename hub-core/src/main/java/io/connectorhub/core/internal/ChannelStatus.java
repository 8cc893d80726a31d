package io.connectorhub.core.internal;

/** A channel's state as shown by {@code /health} and the status API. */
public record ChannelStatus(String name, State state, String lastError) {
    public enum State {
        CREATED,
        STARTING,
        RUNNING,
        /** Started, but another instance holds the channel's single connection: sends only, receives nothing. */
        STANDBY,
        FAILED,
        STOPPED;

        /** The state as {@code /health}, the status API and events spell it: lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
