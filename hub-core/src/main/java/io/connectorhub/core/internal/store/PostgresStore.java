package io.connectorhub.core.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.connectorhub.core.HubException;
import io.connectorhub.core.ModuleState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's {@link Store} on a PostgreSQL server (14 or newer), through a HikariCP pool. A write is one plain
 * transaction on a pooled connection (READ COMMITTED): there is no single writer, so writes run in parallel and the
 * statements themselves decide races (an {@code INSERT … ON CONFLICT}, an {@code UPDATE … WHERE} the state allows).
 *
 * <p>When the server goes away, a write that failed with a connection error before it could commit is tried again
 * until {@link #RETRY_FOR} has passed, so a restart of the server of a few seconds costs callers a wait, not an
 * error. A write whose commit was cut off may have committed: the hub's writes check the state they change, so the
 * repeat finds it done. Thread-safe; {@link #close()} is idempotent.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    private static final String DIALECT = "postgresql";
    /** How long a write is tried again while the server cannot be reached. */
    static final Duration RETRY_FOR = Duration.ofSeconds(30);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Migrations migrations;
    private final String name;
    private final MigratedModules migrated;
    private final PostgresUrl url;
    private final Properties login;

    private PostgresStore(HikariDataSource dataSource, String name, PostgresUrl url, Properties login) {
        this.dataSource = dataSource;
        this.url = url;
        this.login = login;
        this.jdbi = StatementErrors.withoutValues(Jdbi.create(dataSource));
        this.migrations = new Migrations(dataSource, DIALECT, Store.class.getClassLoader());
        this.name = name;
        this.migrated = new MigratedModules(name);
    }

    /**
     * Connects to {@code url} with a pool of at most {@code poolSize} connections and brings the core tables up to
     * date. Throws {@link HubException} naming {@code setting} when the server cannot be reached or refuses the
     * login; no message names the password.
     */
    public static PostgresStore open(PostgresUrl url, int poolSize, String setting) {
        Properties login = url.login();
        login.setProperty("connectTimeout", "10");
        login.setProperty("ApplicationName", "connector-hub");
        // One attempt of our own first: the pool would log a failed first connection with its stack trace.
        try (Connection first = DriverManager.getConnection(url.jdbcUrl(), login)) {
            first.isValid(10);
        } catch (SQLException e) {
            throw new HubException(startupProblem(url, setting, e));
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("store");
        config.setJdbcUrl(url.jdbcUrl());
        config.setDataSourceProperties(login); // user and password too; Hikari masks them where it logs its settings
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(RETRY_FOR.toMillis());
        config.setInitializationFailTimeout(-1); // checked above
        HikariDataSource dataSource = new HikariDataSource(config);
        PostgresStore store = new PostgresStore(dataSource, "postgresql " + url.address(), url, login);
        try {
            store.state("core");
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * One line for a failed first connection, by the server's SQL state, its fix after the last {@code ": "}; the
     * driver's message has no password.
     */
    public static String startupProblem(PostgresUrl url, String setting, Throwable cause) {
        String state = cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
        String at = "PostgreSQL at " + url.address();
        if (state.equals("28P01") || state.equals("28000"))
            return setting + ": " + at + " refused the login of user " + url.user()
                    + ": check the user and password in " + setting;
        if (state.equals("3D000"))
            return setting + ": " + at + " has no database " + url.database() + ": create it (createdb "
                    + url.database() + ") or name another in " + setting;
        String refused = refusedParameter(url, cause);
        if (refused != null)
            return setting + ": the PostgreSQL driver refused the parameter " + refused + " (" + firstLine(cause)
                    + "): correct or remove it in " + setting;
        if (state.startsWith("08") || state.isEmpty())
            return setting + ": cannot reach " + at + " (" + firstLine(cause)
                    + "): is the server running, and are the host and port in " + setting + " right?";
        return setting + ": " + at + " refused the connection (" + firstLine(cause) + "): check " + setting;
    }

    /**
     * The query parameter of {@code url} that the driver's error names (e.g. {@code Invalid sslmode value}), or null:
     * such an error is the URL's, not the server's.
     */
    private static String refusedParameter(PostgresUrl url, Throwable cause) {
        String message = firstLine(cause).toLowerCase(Locale.ROOT);
        for (String name : url.parameters())
            if (!name.isEmpty() && message.contains(name.toLowerCase(Locale.ROOT))) return name;
        return null;
    }

    private static String firstLine(Throwable t) {
        if (t == null) return "no answer";
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }

    @Override
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        return retrying("write", () -> jdbi.inTransaction(callback));
    }

    @Override
    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return retrying("read", () -> jdbi.withHandle(callback));
    }

    /** One try at the database. */
    private interface Attempt<R, X extends Exception> {
        R run() throws X;
    }

    /** Runs {@code attempt}, again while it fails on a lost connection, for up to {@link #RETRY_FOR}. */
    private <R, X extends Exception> R retrying(String what, Attempt<R, X> attempt) throws X {
        long giveUp = System.nanoTime() + RETRY_FOR.toNanos();
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (JdbiException e) {
                if (!lostConnection(e) || System.nanoTime() > giveUp) throw e;
                // the SQL state only: Jdbi's message carries the statement's arguments (message text, secrets)
                log.warn(
                        "Store {}: the connection was lost (SQL state {}); trying the {} again",
                        name,
                        sqlState(e),
                        what);
                pause(n);
            }
        }
    }

    /** Whether {@code e} comes from a connection the server cut (class 08, or the server shutting down). */
    static boolean lostConnection(Throwable e) {
        String state = sqlState(e);
        return state.startsWith("08") || state.startsWith("57P");
    }

    /** The SQL state of the first {@link SQLException} in {@code e}'s causes that has one, else empty. */
    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        return "";
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 50L * attempt * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting for the database to come back", e);
        }
    }

    /**
     * Sends {@code payload} on the PostgreSQL channel {@code channel} ({@code NOTIFY}) within {@code h}'s
     * transaction: the listeners get it when that transaction commits, never if it rolls back. The payload must stay
     * under NOTIFY's 8,000 bytes; {@code channel} is a constant of the hub, never user input.
     */
    static void notify(Handle h, String channel, String payload) {
        h.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", channel)
                .bind("payload", payload)
                .map((rs, ctx) -> 1) // pg_notify returns void
                .one();
    }

    /** Sends {@code payload} on {@code channel} in a transaction of its own (see {@link #notify(Handle, String, String)}). */
    public void notify(String channel, String payload) {
        write(h -> {
            notify(h, channel, payload);
            return null;
        });
    }

    /** A connection of its own, outside the pool, for a session that must stay open ({@code LISTEN}); the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), login);
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    /**
     * {@inheritDoc} Flyway takes a lock in the database while it migrates, so hubs starting at once on the same
     * database run each script once.
     */
    @Override
    public ModuleState state(String module) {
        migrated.once(module, migrations::migrate);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int queuedWrites() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getThreadsAwaitingConnection();
    }

    @Override
    public void close() {
        dataSource.close(); // idempotent
    }
}
