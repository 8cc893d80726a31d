package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialLanesTest {
    @Test
    void runsTasksOfOneKeyInSubmissionOrder() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        try (SerialLanes lanes = new SerialLanes("t", 8, (k, t) -> {})) {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                lanes.submit("one", () -> seen.add(n));
            }
            assertTrue(lanes.awaitIdle(10_000));
        }
        for (int i = 0; i < 1000; i++) assertEquals(i, seen.get(i));
    }

    @Test
    void runsDifferentKeysConcurrently() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        try (SerialLanes lanes = new SerialLanes("t", 8, (k, t) -> {})) {
            lanes.submit("blocked", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            lanes.submit("free", otherRan::countDown);
            assertTrue(otherRan.await(10, TimeUnit.SECONDS), "a blocked key held up another key");
            release.countDown();
        }
    }

    @Test
    void capsConcurrency() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        try (SerialLanes lanes = new SerialLanes("t", 3, (k, t) -> {})) {
            for (int i = 0; i < 50; i++) {
                lanes.submit("k" + i, () -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.yield();
                    for (int spin = 0; spin < 100_000; spin++) Thread.onSpinWait();
                    running.decrementAndGet();
                });
            }
            assertTrue(lanes.awaitIdle(10_000));
        }
        assertTrue(peak.get() <= 3, "peak " + peak.get());
    }

    @Test
    void reportsAFailingTaskAndGoesOn() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger after = new AtomicInteger();
        try (SerialLanes lanes = new SerialLanes("t", 2, (k, t) -> failures.add(k + ":" + t.getMessage()))) {
            lanes.submit("k", () -> {
                throw new IllegalStateException("boom");
            });
            lanes.submit("k", after::incrementAndGet);
            assertTrue(lanes.awaitIdle(10_000));
        }
        assertEquals(List.of("k:boom"), failures);
        assertEquals(1, after.get());
    }
}
