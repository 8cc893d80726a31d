package io.connectorhub.core.internal;

import io.connectorhub.core.HubException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one key at a time: tasks with the same key run in submission order, one after another; tasks with
 * different keys run concurrently on virtual threads, at most {@code concurrency} at once. A lane exists only while
 * it has work. A task's exception is passed to the failure handler and the lane goes on. Thread-safe.
 */
public final class SerialLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerialLanes.class);

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final ThreadFactory threads;
    private final BiConsumer<String, Throwable> onFailure;
    private volatile boolean closed;

    public SerialLanes(String name, int concurrency, BiConsumer<String, Throwable> onFailure) {
        this.permits = new Semaphore(concurrency);
        this.threads = Thread.ofVirtual().name(name + "-", 0).factory();
        this.onFailure = onFailure;
    }

    /** Queues {@code task} behind the earlier tasks of {@code key}. */
    public void submit(String key, Runnable task) {
        if (closed) throw new HubException("lanes are closed; the hub is shutting down");
        boolean[] start = {false};
        lanes.compute(key, (k, lane) -> {
            if (lane == null) {
                lane = new Lane();
                start[0] = true;
            }
            lane.tasks.add(task);
            return lane;
        });
        if (start[0]) threads.newThread(() -> drain(key)).start();
    }

    /** Number of keys with queued or running work. */
    public int activeLanes() {
        return lanes.size();
    }

    private void drain(String key) {
        while (true) {
            Runnable next = poll(key);
            if (next == null) return;
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                next.run();
            } catch (Throwable t) {
                onFailure.accept(key, t);
            } finally {
                permits.release();
            }
        }
    }

    /** The lane's next task, or null after removing the lane when it has none (atomically with submit). */
    private Runnable poll(String key) {
        Runnable[] next = {null};
        lanes.computeIfPresent(key, (k, lane) -> {
            next[0] = lane.tasks.poll();
            return next[0] == null ? null : lane;
        });
        return next[0];
    }

    /** True if no work is queued or running. */
    public boolean idle() {
        return lanes.isEmpty();
    }

    /** Stops taking work and waits up to {@code timeoutMillis} for queued work to finish. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!lanes.isEmpty()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (!awaitIdle(10_000))
                log.warn("{} lanes still busy at shutdown; their messages stay in the inbox", lanes.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Lane {
        final Queue<Runnable> tasks = new ArrayDeque<>();
    }
}
