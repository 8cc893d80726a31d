package io.connectorhub.core;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where the hub keeps the secrets it generates when none is configured (the WebSocket token, the admin token, the
 * Telegram webhook secret): files in the data directory on SQLite, the database's {@code secrets} table on
 * PostgreSQL, so that every instance on the database agrees. Never logged. Thread-safe.
 */
@FunctionalInterface
public interface GeneratedSecrets {
    /**
     * The secret kept under {@code name} (e.g. {@code websocket.token}), or a new one kept now and printed to {@code
     * console} with {@code label} and {@code configKey} (where to set one instead); with {@code console} null, nothing
     * is printed (for secrets only the hub and a platform exchange). Of two hubs creating one at once, both get the
     * one kept first.
     */
    String loadOrCreate(String name, String label, String configKey, PrintStream console);

    /** Secrets as files in {@code dir}, one per name, readable by their owner only: see {@link GeneratedSecret}. */
    static GeneratedSecrets inDirectory(Path dir) {
        return (name, label, configKey, console) ->
                GeneratedSecret.loadOrCreate(dir.resolve(name), label, configKey, console);
    }
}
