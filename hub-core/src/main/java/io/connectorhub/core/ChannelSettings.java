package io.connectorhub.core;

import java.util.List;

/**
 * A channel's own settings: a record in the channel module, bound from {@code channels.<name>} without the
 * {@link CommonChannelSettings common keys}. Components are read from {@code hub.yaml} by their names, with the types
 * {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (or their boxes), {@code Duration}, enums
 * (written as their {@code toString()}), lists, and nested records of these.
 */
public interface ChannelSettings {
    /**
     * Adds a {@link Problems problem} for each value an enabled channel cannot run with; {@code path} is where the
     * section sits, e.g. {@code channels.telegram}. Called only when the channel is enabled, after binding succeeded.
     */
    void check(String path, CommonChannelSettings common, Problems problems);

    /** The values that must never be shown (tokens, secrets), so output can be scrubbed of them. Default: none. */
    default List<String> secrets() {
        return List.of();
    }
}
