package io.connectorhub.config;

import io.connectorhub.core.Problems;

/**
 * How conversations are keyed.
 *
 * @param shareLinked when true, a user's direct messages on every linked chat account and their WebSocket messages are
 *     one conversation, {@code user:<user id>}
 */
public record SessionsConfig(boolean shareLinked) implements Section {
    @Override
    public void check(String path, Problems problems) {}
}
