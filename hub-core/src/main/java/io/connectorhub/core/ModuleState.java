package io.connectorhub.core;

import org.jdbi.v3.core.HandleCallback;

/**
 * A module's own tables in the hub's database (a channel's, the gateways', the webhooks'), with the module's
 * migrations applied: see {@link ChannelContext#state}. The module writes its SQL with Jdbi; where SQLite and
 * PostgreSQL differ it asks {@link #dialect()}. Do not call {@link #write} from inside a write. Thread-safe.
 */
public interface ModuleState {
    /** Runs {@code callback} on a handle that sees every committed write; does not wait for writers. */
    <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X;

    /** Runs {@code callback} in a write transaction and returns once it committed; if it throws, nothing is kept. */
    <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X;

    /** The database's SQL dialect: {@code sqlite}, or {@code postgresql}. */
    String dialect();
}
