package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import io.connectorhub.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The hub's SQLite database (WAL mode, pooled connections) with versioned migrations per component.
 *
 * <p>Writes go through one writer thread with <em>group commit</em>: the writes waiting when it is free run in one
 * transaction, each inside its own savepoint, so one failing write is rolled back alone while the others commit
 * together. Under load this turns many small transactions into few; alone, a write is one transaction as usual.
 * Writers never meet SQLite's busy errors; reads run concurrently on pooled connections. A write returns only
 * after its transaction committed. {@code synchronous=NORMAL}: a committed transaction survives a killed process
 * (not a power cut). Do not call {@link #write} from inside a write. Thread-safe; {@link #close()} is idempotent.
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private static final int MAX_BATCH = 256;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final Jdbi jdbi;
    private final Path file;
    private final Pool pool;
    private final BlockingQueue<Write<?>> writes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread checkpointer;
    private volatile boolean closed;

    private Store(Path file, Jdbi jdbi, Pool pool) {
        this.file = file;
        this.jdbi = jdbi;
        this.pool = pool;
        this.writer = Thread.ofPlatform()
                .name("store-writer-" + file.getFileName())
                .daemon()
                .start(this::writeLoop);
        this.checkpointer = Thread.ofPlatform()
                .name("store-checkpoint-" + file.getFileName())
                .daemon()
                .start(this::checkpoints);
    }

    /** One queued write and, once done, its outcome. */
    private static final class Write<R> {
        final HandleCallback<R, ?> callback;
        final CompletableFuture<R> done = new CompletableFuture<>();

        Write(HandleCallback<R, ?> callback) {
            this.callback = callback;
        }

        R run(Handle h) throws Exception {
            return callback.withHandle(h);
        }
    }

    /**
     * Opens (creating if needed) the database at {@code file} and applies the core migrations. The database and its
     * {@code -wal} and {@code -shm} files are readable by their owner only (SQLite gives the latter two the
     * database's permissions); existing ones with wider permissions are restricted.
     */
    public static Store open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) OwnerOnly.createDirectories(parent);
            OwnerOnly.createFile(file);
            for (String suffix : List.of("", "-wal", "-shm"))
                OwnerOnly.restrict(file.resolveSibling(file.getFileName() + suffix));
        } catch (IOException e) {
            throw new HubException(
                    "cannot create the database " + file + ": " + e.getMessage()
                            + "; set store.dataDir (or HUB_DATA) to a writable directory",
                    e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        // Statement journals (an UPDATE that may fail halfway inside a transaction) in memory, not in temporary files
        // opened and deleted per statement.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // Nothing reads generated keys; without this the driver runs SELECT last_insert_rowid() after every INSERT.
        config.setGetGeneratedKeys(false);
        // Checkpoints (copying the WAL into the database, with an fsync) run on their own thread, see checkpoints().
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Pool pool = new Pool(dataSource, 16);
        Jdbi jdbi = Jdbi.create(pool).setStatementBuilderFactory(pool::statements);
        Store store = new Store(file, jdbi, pool);
        store.migrate("core");
        return store;
    }

    public Path file() {
        return file;
    }

    /** Runs {@code callback} in a write transaction (see the class comment) and returns once it committed. */
    @SuppressWarnings("unchecked")
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        if (closed) throw new HubException("the store " + file + " is closed");
        Write<R> write = new Write<>(callback);
        writes.add(write);
        try {
            return outcome(write);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw (X) cause;
        }
    }

    /**
     * Waits for the write's outcome. If the caller is interrupted, the write is withdrawn when it has not started
     * (the caller gets an exception and nothing was written); once started it is waited for, so that a caller is
     * never told a write failed that then commits. The interrupt is kept for the caller either way.
     */
    private <R> R outcome(Write<R> write) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return write.done.get();
                } catch (InterruptedException e) {
                    boolean first = !interrupted;
                    interrupted = true;
                    if (first && writes.remove(write))
                        throw new HubException("interrupted while waiting for a write to " + file, e);
                    // started already: its outcome is what the caller must see
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Writes waiting for the writer (for tests and status). */
    public int queuedWrites() {
        return writes.size();
    }

    private void writeLoop() {
        List<Write<?>> batch = new ArrayList<>();
        while (!closed || !writes.isEmpty()) {
            try {
                Write<?> first = writes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                writes.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                batch.clear();
            }
        }
        for (Write<?> w; (w = writes.poll()) != null; )
            w.done.completeExceptionally(new HubException("the store " + file + " is closed"));
    }

    /** Runs a batch in one transaction; each write in a savepoint unless it is alone. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void commit(List<Write<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            jdbi.useTransaction(h -> {
                if (batch.size() == 1) {
                    results[0] = batch.get(0).run(h);
                    return;
                }
                for (int i = 0; i < batch.size(); i++) {
                    h.savepoint("w");
                    try {
                        results[i] = batch.get(i).run(h);
                        h.releaseSavepoint("w");
                    } catch (Exception e) {
                        h.rollbackToSavepoint("w"); // also forgets the savepoint
                        failures[i] = e;
                    }
                }
            });
        } catch (Throwable t) {
            // Nothing of the batch committed (or a lone write failed): each caller gets the failure.
            for (Write<?> w : batch) w.done.completeExceptionally(t);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture done = batch.get(i).done;
            if (failures[i] != null) done.completeExceptionally(failures[i]);
            else done.complete(results[i]);
        }
    }

    /**
     * Copies the WAL into the database once a second. SQLite would otherwise do this inside whichever commit
     * crosses 1000 WAL pages, and that commit (with every write grouped into it) would wait for the copy and its
     * fsync. A passive checkpoint waits for no reader or writer, so writes go on meanwhile.
     */
    private void checkpoints() {
        while (!closed) {
            try {
                Thread.sleep(CHECKPOINT_INTERVAL);
                jdbi.useHandle(h -> h.execute("PRAGMA wal_checkpoint(PASSIVE)"));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Store {}: checkpoint failed, will retry: {}", file.getFileName(), e.getMessage());
            }
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

    /** Finishes the queued writes, stops the writer and closes the connections. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        checkpointer.interrupt();
        try {
            writer.join(Duration.ofSeconds(10));
            checkpointer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.closeAll();
    }

    /**
     * Keeps connections open between uses, each with its {@link CachedStatements}. Besides saving the open, this
     * matters for WAL mode: when the last connection to the database closes, SQLite checkpoints and removes the WAL,
     * which would cost a sync per call.
     */
    private static final class Pool implements ConnectionFactory {
        private final SQLiteDataSource dataSource;
        private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
        private final Map<Connection, CachedStatements> statements = new ConcurrentHashMap<>();
        private final int maxIdle;

        Pool(SQLiteDataSource dataSource, int maxIdle) {
            this.dataSource = dataSource;
            this.maxIdle = maxIdle;
        }

        @Override
        public Connection openConnection() throws SQLException {
            Connection c = idle.pollFirst();
            return c != null ? c : dataSource.getConnection();
        }

        @Override
        public void closeConnection(Connection c) throws SQLException {
            if (c.isClosed()) {
                statements.remove(c);
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (idle.size() < maxIdle) idle.offerFirst(c);
            else close(c);
        }

        /** The statement cache of {@code c}, which this pool lends to one handle at a time. */
        CachedStatements statements(Connection c) {
            return statements.computeIfAbsent(c, k -> new CachedStatements());
        }

        private void close(Connection c) throws SQLException {
            statements.remove(c);
            c.close(); // closes its statements too
        }

        void closeAll() {
            for (Connection c; (c = idle.pollFirst()) != null; ) {
                try {
                    close(c);
                } catch (SQLException e) {
                    log.debug("closing a pooled connection failed: {}", e.getMessage());
                }
            }
        }
    }
}
