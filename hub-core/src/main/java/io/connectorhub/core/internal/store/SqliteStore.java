package io.connectorhub.core.internal.store;

import io.connectorhub.core.HubException;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.internal.OwnerOnly;
import java.io.IOException;
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
 * The hub's {@link Store} in SQLite (WAL mode, pooled connections): a module's tables are brought up to date by
 * {@link Migrations} the first time {@link #state} is asked for it.
 *
 * <p>Writes go through one writer thread with <em>group commit</em>: the writes waiting when it is free run in one
 * transaction, each inside its own savepoint, so one failing write is rolled back alone while the others commit
 * together. Under load this turns many small transactions into few; alone, a write is one transaction as usual.
 * Writers never meet SQLite's busy errors; reads run concurrently on pooled connections. A write returns only
 * after its transaction committed. {@code synchronous=NORMAL}: a committed transaction survives a killed process
 * (not a power cut). Do not call {@link #write} from inside a write. Thread-safe; {@link #close()} is idempotent.
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

    private static final String DIALECT = "sqlite";
    private static final int MAX_BATCH = 256;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final Jdbi jdbi;
    private final Path file;
    private final Pool pool;
    private final Migrations migrations;
    private final MigratedModules migrated;
    private final BlockingQueue<Write<?>> writes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread checkpointer;
    private volatile boolean closed;

    private SqliteStore(Path file, Jdbi jdbi, Pool pool, Migrations migrations) {
        this.file = file;
        this.jdbi = jdbi;
        this.pool = pool;
        this.migrations = migrations;
        this.migrated = new MigratedModules(file.getFileName().toString());
        this.writer = Thread.ofPlatform()
                .name("store-writer-" + file.getFileName())
                .daemon()
                .start(this::writeLoop);
        this.checkpointer = Thread.ofPlatform()
                .name("store-checkpoint-" + file.getFileName())
                .daemon()
                .start(this::checkpoints);
    }

    /**
     * One queued write and, once done, its outcome. A write {@code alone} runs outside any transaction, with no other
     * write meanwhile: a migration, which writes through connections of its own.
     */
    private static final class Write<R> {
        final HandleCallback<R, ?> callback;
        final boolean alone;
        final CompletableFuture<R> done = new CompletableFuture<>();

        Write(HandleCallback<R, ?> callback, boolean alone) {
            this.callback = callback;
            this.alone = alone;
        }

        R run(Handle h) throws Exception {
            return callback.withHandle(h);
        }
    }

    /**
     * Opens (creating if needed) the database at {@code file} and brings the core tables up to date (module
     * {@code core}). The database and its {@code -wal} and {@code -shm} files are readable by their owner only (SQLite
     * gives the latter two the database's permissions); existing ones with wider permissions are restricted.
     */
    public static SqliteStore open(Path file) {
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
        Jdbi jdbi = StatementErrors.withoutValues(Jdbi.create(pool).setStatementBuilderFactory(pool::statements));
        SqliteStore store =
                new SqliteStore(file, jdbi, pool, new Migrations(dataSource, DIALECT, Store.class.getClassLoader()));
        try {
            store.state("core");
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    /** Runs {@code callback} in a write transaction (see the class comment) and returns once it committed. */
    @Override
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        return submit(new Write<>(callback, false));
    }

    @SuppressWarnings("unchecked")
    private <R, X extends Exception> R submit(Write<R> write) throws X {
        if (closed) throw new HubException("the store " + file + " is closed");
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
    @Override
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
                commitInOrder(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } finally {
                batch.clear();
            }
        }
        for (Write<?> w; (w = writes.poll()) != null; )
            w.done.completeExceptionally(new HubException("the store " + file + " is closed"));
    }

    /** Runs the writes in their order: each {@code alone} write by itself, the others grouped as {@link #commit} does. */
    private void commitInOrder(List<Write<?>> batch) {
        int from = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.get(i).alone) continue;
            if (i > from) commit(batch.subList(from, i));
            runAlone(batch.get(i));
            from = i + 1;
        }
        if (from < batch.size()) commit(batch.subList(from, batch.size()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runAlone(Write<?> write) {
        CompletableFuture done = write.done;
        try {
            done.complete(jdbi.withHandle(write::run));
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
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
    @Override
    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    /**
     * {@code module}'s tables, brought up to date by its migration scripts (see {@link Migrations}) on the first call
     * for it; later calls return at once. The scripts run on the writer thread with no other write meanwhile.
     */
    @Override
    public ModuleState state(String module) {
        migrated.once(module, m -> submit(new Write<>(h -> migrations.migrate(m), true)));
        return this;
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
