package io.connectorhub.config;

import io.connectorhub.core.Problems;

/** A part of the configuration that can check itself; {@code path} is where it sits, e.g. {@code channels.websocket}. */
public interface Section {
    void check(String path, Problems problems);
}
