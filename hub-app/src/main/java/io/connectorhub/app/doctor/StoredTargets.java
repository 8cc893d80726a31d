package io.connectorhub.app.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The agent gateways and outbound webhooks a hub has stored in {@code <dataDir>/hub.db}, read through a read-only
 * connection: no hub needs to run, a running one is not disturbed (a WAL reader never blocks its writer), and a
 * stopped one finds its directory as it left it. Secrets are not read.
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
        try (Connection c = config.createConnection(url);
                Statement s = c.createStatement()) {
            List<Gateway> gateways = new ArrayList<>();
            if (hasTable(s, "gateways")) {
                try (ResultSet r = s.executeQuery("SELECT name, url FROM gateways ORDER BY name")) {
                    while (r.next()) gateways.add(new Gateway(r.getString(1), r.getString(2)));
                }
            }
            List<Webhook> webhooks = new ArrayList<>();
            if (hasTable(s, "webhook_endpoints")) {
                try (ResultSet r = s.executeQuery(
                        "SELECT id, url, enabled, disabled_reason FROM webhook_endpoints ORDER BY created_at")) {
                    while (r.next())
                        webhooks.add(new Webhook(r.getString(1), r.getString(2), r.getInt(3) != 0, r.getString(4)));
                }
            }
            return new StoredTargets(gateways, webhooks);
        }
    }

    private static boolean hasTable(Statement s, String table) throws SQLException {
        try (ResultSet r =
                s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return r.next();
        }
    }
}
