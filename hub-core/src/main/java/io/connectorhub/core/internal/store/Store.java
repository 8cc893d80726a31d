package io.connectorhub.core.internal.store;

import io.connectorhub.core.ModuleState;
import java.nio.file.Path;

/**
 * The hub's database and the {@link ModuleState} of every module: {@link SqliteStore} (one file, one writer) or
 * {@link PostgresStore} (a pool of connections to a server). Every table, the core's and the modules', is in it; a
 * module's tables are brought up to date by {@link Migrations} the first time {@link #state} is asked for it.
 * Thread-safe; {@link #close()} is idempotent.
 */
public interface Store extends ModuleState, AutoCloseable {
    /** The SQLite database at {@code file}, created if needed: see {@link SqliteStore#open}. */
    static Store open(Path file) {
        return SqliteStore.open(file);
    }

    /** {@code module}'s tables, migrated on the first call for it; later calls return at once. */
    ModuleState state(String module);

    /** Names the database in log lines and errors, without credentials: {@code hub.db}, {@code postgresql host/db}. */
    String name();

    /** Writes waiting for a connection or the writer (for status). */
    int queuedWrites();

    @Override
    void close();
}
