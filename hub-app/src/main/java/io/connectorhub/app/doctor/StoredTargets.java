package io.connectorhub.app.doctor;

import io.connectorhub.core.internal.store.PostgresUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The agent gateways and outbound webhooks a hub has stored, in {@code <dataDir>/hub.db} or in the PostgreSQL database
 * {@code store.url} names, read through a read-only connection that runs no migration: no hub needs to run, a running
 * one is not disturbed (a WAL reader never blocks its writer), and a stopped one finds its store as it left it.
 * Secrets are not read.
 */
record StoredTargets(List<Gateway> gateways, List<Webhook> webhooks) {
    record Gateway(String name, String url) {}

    /** @param disabledReason why the hub disabled it; null when enabled or disabled by an admin */
    record Webhook(String id, String url, boolean enabled, String disabledReason) {}

    StoredTargets {
        gateways = List.copyOf(gateways);
        webhooks = List.copyOf(webhooks);
    }

    static StoredTargets read(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        // Without a WAL file no hub has the database open: read it as immutable, so that no -wal and -shm files are
        // left behind (owned by whoever ran the doctor). A hub starting meanwhile at worst spoils this one read.
        boolean inUse = Files.exists(Path.of(db + "-wal"));
        String url = "jdbc:sqlite:file:" + db.toAbsolutePath() + (inUse ? "?mode=ro" : "?immutable=1");
        try (Connection c = config.createConnection(url)) {
            return read(c);
        }
    }

    /** Reads PostgreSQL at {@code url} in a read-only session, giving up on connecting after {@code timeout}. */
    static StoredTargets read(PostgresUrl url, Duration timeout) throws SQLException {
        Properties login = url.login();
        String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
        login.setProperty("connectTimeout", seconds);
        login.setProperty("loginTimeout", seconds);
        login.setProperty("socketTimeout", seconds);
        login.setProperty("readOnly", "true");
        login.setProperty("readOnlyMode", "always"); // the session refuses writes, also outside a transaction
        login.setProperty("ApplicationName", "connector-hub doctor");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), login)) {
            return read(c);
        }
    }

    private static StoredTargets read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            List<Gateway> gateways = new ArrayList<>();
            if (hasTable(c, "gateways")) {
                try (ResultSet r = s.executeQuery("SELECT name, url FROM gateways ORDER BY name")) {
                    while (r.next()) gateways.add(new Gateway(r.getString(1), r.getString(2)));
                }
            }
            List<Webhook> webhooks = new ArrayList<>();
            if (hasTable(c, "webhook_endpoints")) {
                try (ResultSet r = s.executeQuery(
                        "SELECT id, url, enabled, disabled_reason FROM webhook_endpoints ORDER BY created_at")) {
                    while (r.next())
                        webhooks.add(new Webhook(r.getString(1), r.getString(2), r.getInt(3) != 0, r.getString(4)));
                }
            }
            return new StoredTargets(gateways, webhooks);
        }
    }

    /** Whether {@code table} exists where {@code c} reads unqualified names (SQLite's main, PostgreSQL's schema). */
    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (ResultSet r = c.getMetaData().getTables(null, c.getSchema(), table, new String[] {"TABLE"})) {
            return r.next();
        }
    }
}
