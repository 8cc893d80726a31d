package io.connectorhub.core.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens ({@code LISTEN}) on PostgreSQL channels, on one connection of its own, and hands each payload sent there
 * ({@code NOTIFY}) to the channel's handler on its one thread, in the order they were sent. A lost connection is
 * opened again after a pause growing to 5 s; what was sent meanwhile is missed (the inbox sweep and the heartbeat's
 * take-over are the safety net). The constructor does no I/O; {@link #close()} is idempotent.
 */
public final class Wakeups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Wakeups.class);
    private static final int WAIT_MILLIS = 1000;

    private final PostgresStore store;
    private final Map<String, Consumer<String>> handlers;
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;

    /**
     * @param handlers each channel's handler; channels are constant identifiers such as {@link StoreInbox#WAKE_CHANNEL},
     *     never user input
     */
    public Wakeups(PostgresStore store, Map<String, Consumer<String>> handlers) {
        this.store = store;
        this.handlers = Map.copyOf(handlers);
    }

    public void start() {
        thread = Thread.ofPlatform().name("wakeups").daemon().start(this::run);
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try (Connection c = store.connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    for (String channel : handlers.keySet()) s.execute("LISTEN " + channel);
                }
                if (failures > 0) log.info("Wake-ups: listening on {} again", store.name());
                failures = 0;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] sent = pg.getNotifications(WAIT_MILLIS);
                    if (sent != null) for (PGNotification n : sent) deliver(n.getName(), n.getParameter());
                }
            } catch (SQLException e) {
                if (closed) return;
                if (failures++ == 0)
                    log.warn(
                            "Wake-ups: lost the connection to {} (SQL state {}); listening again once it is back, "
                                    + "the inbox sweep and the heartbeats cover the gap",
                            store.name(),
                            e.getSQLState());
                if (!pause(failures)) return;
            }
        }
    }

    private void deliver(String channel, String payload) {
        Consumer<String> handler = handlers.get(channel);
        if (handler == null) return;
        try {
            handler.accept(payload);
        } catch (RuntimeException e) {
            log.warn("Wake-ups: could not act on a wake-up on {} ({})", channel, e.getMessage());
        }
    }

    private static boolean pause(int failures) {
        try {
            Thread.sleep(Math.min(Duration.ofSeconds(5).toMillis(), 200L * failures));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Connection c = connection;
        try {
            if (c != null) c.close(); // ends a wait for notifications at once
        } catch (SQLException e) {
            log.debug("Wake-ups: closing the connection failed", e);
        }
        if (thread == null) return;
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
