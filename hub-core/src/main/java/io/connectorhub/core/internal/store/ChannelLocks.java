package io.connectorhub.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance opens each single-connection channel: the one holding the channel's PostgreSQL session-level
 * advisory lock, key {@code hashtextextended('connector-hub channel <name>', 0)}, taken with
 * {@code pg_try_advisory_lock} on a connection of its own (outside the pool, {@code application_name} =
 * {@code connector-hub <instance id>}). Channels not held are tried again every {@code retry}, and at once when a
 * holder that stops cleanly says so ({@code NOTIFY hub_channels}). When that connection fails, every channel it held
 * is given up ({@code lost}) before anything else, since PostgreSQL releases the locks of a lost session: the
 * instance never receives on a channel whose lock it may no longer hold. Its one thread calls {@code acquired} and
 * {@code lost}. The constructor does no I/O; {@link #close()} releases every lock and is idempotent.
 */
public final class ChannelLocks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelLocks.class);
    /** The PostgreSQL channel on which a cleanly stopping holder announces released locks. */
    public static final String RELEASED = "hub_channels";

    private static final String KEY = "hashtextextended('connector-hub channel ' || ?, 0)";
    private static final int VALID_SECONDS = 3;

    private final PostgresStore store;
    private final String instanceId;
    private final Duration retry;
    private final Consumer<String> acquired;
    private final Consumer<String> lost;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;

    /**
     * @param acquired told, on this class's thread, that this instance now holds a channel
     * @param lost told, on this class's thread, that it no longer does (its connection failed)
     */
    public ChannelLocks(
            PostgresStore store, String instanceId, Duration retry, Consumer<String> acquired, Consumer<String> lost) {
        this.store = store;
        this.instanceId = instanceId;
        this.retry = retry;
        this.acquired = acquired;
        this.lost = lost;
    }

    /** Starts trying to hold {@code channel}'s lock (a started channel's name); the first call starts the thread. */
    public synchronized void want(String channel) {
        wanted.add(channel);
        if (thread == null && !closed)
            thread = Thread.ofPlatform().name("channel-locks").daemon().start(this::run);
    }

    /** Whether this instance holds {@code channel}'s lock now. */
    public boolean holds(String channel) {
        return held.contains(channel);
    }

    /**
     * The id of the instance holding {@code channel}'s lock, read from {@code pg_locks} and the holder's
     * {@code application_name}; empty if nobody holds it.
     */
    public static Optional<String> holder(PostgresStore store, String channel) {
        return store.read(h -> h.createQuery("SELECT a.application_name FROM pg_locks l"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " CROSS JOIN (SELECT " + KEY.replace("?", ":channel") + " AS k) key"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        + " AND l.classid::bigint = ((key.k >> 32) & 4294967295)"
                        + " AND l.objid::bigint = (key.k & 4294967295)")
                .bind("channel", channel)
                .mapTo(String.class)
                .findFirst()
                .map(name -> name.startsWith(APPLICATION) ? name.substring(APPLICATION.length()) : name));
    }

    private static final String APPLICATION = "connector-hub ";

    private void run() {
        int failures = 0;
        while (!closed) {
            try (Connection c = store.connect()) {
                connection = c;
                try (PreparedStatement s = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    s.setString(1, APPLICATION + instanceId);
                    s.execute();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + RELEASED);
                }
                if (failures > 0) log.info("Channel locks: connected to {} again", store.name());
                failures = 0;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    for (String channel : wanted) {
                        if (!held.contains(channel) && tryLock(c, channel) && !closed) {
                            held.add(channel);
                            acquired.accept(channel);
                        }
                    }
                    if (!held.isEmpty() && !c.isValid(VALID_SECONDS))
                        throw new SQLException("the lock connection does not answer", "08006");
                    pg.getNotifications((int) retry.toMillis());
                }
                release(c);
            } catch (SQLException e) {
                if (closed) return;
                connection = null;
                loseAll();
                if (failures++ == 0)
                    log.warn(
                            "Channel locks: lost the connection to {} (SQL state {}); trying again once it is back",
                            store.name(),
                            e.getSQLState());
                if (!pause(failures)) return;
            }
        }
    }

    private static boolean tryLock(Connection c, String channel) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            s.setString(1, channel);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private void loseAll() {
        for (String channel : held) {
            held.remove(channel);
            try {
                lost.accept(channel);
            } catch (RuntimeException e) {
                log.warn("Channel locks: stopping channel {} failed: {}", channel, e.getMessage());
            }
        }
    }

    private boolean pause(int failures) {
        try {
            Thread.sleep(Math.min(retry.toMillis(), 200L * failures));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Releases the locks held on {@code c} and says so, so the others try at once rather than at their next retry. */
    private void release(Connection c) throws SQLException {
        if (held.isEmpty()) return;
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock_all()");
            s.execute("NOTIFY " + RELEASED);
        }
        held.clear();
    }

    /**
     * Releases every lock this instance holds and says so ({@code NOTIFY hub_channels}), so another instance takes
     * the channels over at once; call once the channels' connections are closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        Thread t = thread;
        if (t == null) return;
        try {
            // wakes this instance's own wait for notifications; its thread then releases the locks (a connection
            // is used by one thread at a time)
            store.write(h -> h.execute("NOTIFY " + RELEASED));
            t.join(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            log.debug("Channel locks: could not wake the lock thread", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        try {
            if (t.isAlive() && c != null) c.close(); // closing the session releases its locks too
        } catch (SQLException e) {
            log.debug("Channel locks: closing the connection failed", e);
        }
    }
}
