package io.connectorhub.core.store;

import io.connectorhub.core.HubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The hub's SQLite database (WAL mode) with versioned migrations per component. Writes are serialised by one lock
 * so writers never meet SQLite's busy errors; reads run concurrently. {@code synchronous=NORMAL}: a committed
 * transaction survives a killed process (not a power cut). Thread-safe; {@link #close()} is idempotent.
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final Jdbi jdbi;
    private final Path file;
    private final ReentrantLock writeLock = new ReentrantLock();

    private Store(Path file, Jdbi jdbi) {
        this.file = file;
        this.jdbi = jdbi;
    }

    /** Opens (creating if needed) the database at {@code file} and applies the core migrations. */
    public static Store open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new HubException(
                    "cannot create the data directory for " + file + ": " + e.getMessage()
                            + "; set store.dataDir (or HUB_DATA) to a writable directory",
                    e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Store store = new Store(file, Jdbi.create(dataSource));
        store.migrate("core");
        return store;
    }

    public Path file() {
        return file;
    }

    /** Runs {@code callback} in a write transaction, one writer at a time. */
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        writeLock.lock();
        try {
            return jdbi.inTransaction(callback::withHandle);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code callback} with a read-only view; does not wait for writers. */
    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    /**
     * Brings {@code component}'s tables up to date by running the classpath scripts {@code db/<component>/1.sql},
     * {@code 2.sql}, ... that have not run yet, each in its own transaction. Call before using the component.
     */
    public void migrate(String component) {
        write(h -> {
            h.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            return null;
        });
        int version = read(h -> h.createQuery("SELECT version FROM schema_version WHERE component = ?")
                .bind(0, component)
                .mapTo(Integer.class)
                .findOne()
                .orElse(0));
        for (int next = version + 1; ; next++) {
            String script = resource("db/" + component + "/" + next + ".sql");
            if (script == null) return;
            int target = next;
            write(h -> {
                h.createScript(script).execute();
                h.createUpdate("INSERT INTO schema_version (component, version) VALUES (:c, :v) "
                                + "ON CONFLICT (component) DO UPDATE SET version = :v")
                        .bind("c", component)
                        .bind("v", target)
                        .execute();
                return null;
            });
            log.info("Store {}: migrated {} to version {}", file.getFileName(), component, target);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Store.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HubException("cannot read migration " + name, e);
        }
    }

    @Override
    public void close() {
        // Connections are opened per use; nothing stays open between calls.
    }
}
