package io.connectorhub.core.internal.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite store does: its single writer, group commit and checkpoints. */
class SqliteStoreTest {
    @TempDir
    Path dir;

    private SqliteStore store;
    private StoreInbox inbox;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("hub.db"));
        inbox = new StoreInbox(store, "instance-a", new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static InboundMessage message(String id, String text) {
        return InboundMessage.builder("telegram", id)
                .sender("42")
                .chat("7")
                .content(text)
                .build();
    }

    @Test
    void copiesWrittenDataIntoTheDatabaseFileWhileOpen() throws Exception {
        Path file = dir.resolve("hub.db");
        long before = Files.size(file);
        for (int i = 0; i < 200; i++) inbox.admit(message("big-" + i, "x".repeat(1000)));
        // Checkpoints run on their own thread; a commit no longer waits for one.
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(file) > before + 200_000);
    }

    @Test
    void aCallerInterruptedWhileItsWriteRunsGetsTheWritesOutcome() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(store.write(h -> {
                    started.countDown();
                    proceed.await();
                    h.execute("CREATE TABLE written (x)");
                    return "committed";
                }));
            } catch (Exception e) {
                outcome.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        caller.interrupt();
        proceed.countDown();
        caller.join();
        assertEquals("committed", outcome.get());
        assertTrue(stillInterrupted.get(), "the interrupt is kept for the caller");
        assertEquals(1, tables("written"));
    }

    @Test
    void aCallerInterruptedBeforeItsWriteStartedWithdrawsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Thread blocker = Thread.ofPlatform().start(() -> {
            try {
                store.write(h -> {
                    started.countDown();
                    return proceed.await(10, TimeUnit.SECONDS);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await(); // the writer is busy, so the next write waits in the queue
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                store.write(h -> h.execute("CREATE TABLE withdrawn (x)"));
            } catch (Exception e) {
                failure.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 1);
        caller.interrupt();
        caller.join();
        proceed.countDown();
        blocker.join();
        assertTrue(failure.get() instanceof HubException, "told it failed: " + failure.get());
        assertEquals(0, store.queuedWrites());
        assertEquals(0, tables("withdrawn"), "and it did not run");
    }

    private int tables(String name) {
        return store.read(h -> h.createQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
                .bind(0, name)
                .mapTo(Integer.class)
                .one());
    }

    @Test
    void rollsBackAFailingWriteAloneWhenWritesAreCommittedTogether() throws Exception {
        store.write(h -> {
            h.execute("CREATE TABLE t (v TEXT PRIMARY KEY)");
            return null;
        });
        java.util.concurrent.CountDownLatch writerBusy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(() -> store.write(h -> {
                writerBusy.countDown();
                release.await();
                return h.execute("INSERT INTO t VALUES ('first')");
            }));
            writerBusy.await();
            // These queue up behind the busy writer and are committed as one batch.
            var good = threads.submit(() -> store.write(h -> h.execute("INSERT INTO t VALUES ('good')")));
            var bad = threads.submit(() -> store.write(h -> h.execute("INSERT INTO t VALUES ('first')")));
            var alsoGood = threads.submit(() -> store.write(h -> h.execute("INSERT INTO t VALUES ('also good')")));
            org.awaitility.Awaitility.await().until(() -> writesQueued() >= 3);
            release.countDown();
            assertEquals(1, good.get());
            java.util.concurrent.ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, bad::get);
            assertTrue(
                    failure.getCause().getMessage().contains("UNIQUE"),
                    failure.getCause().toString());
            assertEquals(1, alsoGood.get());
        }
        assertEquals(
                List.of("also good", "first", "good"),
                store.read(h -> h.createQuery("SELECT v FROM t ORDER BY v")
                        .mapTo(String.class)
                        .list()));
    }

    private int writesQueued() {
        return store.queuedWrites();
    }
}
