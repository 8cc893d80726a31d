package io.connectorhub.accounts;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failures per key (a client IP, a username, a chat sender) in a sliding window: a key with {@code limit} failures in
 * the last {@code window} is locked until the oldest of them leaves the window. Keeps at most {@code maxKeys} keys,
 * dropping the least recently seen, so memory stays bounded whatever a client sends. Thread-safe.
 */
public final class Throttle {
    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    /** Each key's failures within the window, oldest first, at most {@code limit}; in access order. */
    private final LinkedHashMap<String, ArrayDeque<Instant>> failures;

    public Throttle(int limit, Duration window, int maxKeys, InstantSource clock) {
        if (limit < 1 || maxKeys < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a throttle needs a limit, a window and a number of keys above zero");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** How long {@code key} is still locked, or empty if it is not. */
    public synchronized Optional<Duration> retryAfter(String key) {
        Instant now = clock.instant();
        ArrayDeque<Instant> times = recent(key, now);
        if (times == null || times.size() < limit) return Optional.empty();
        return Optional.of(Duration.between(now, times.peekFirst().plus(window)));
    }

    /** Counts a failure of {@code key} now. */
    public synchronized void fail(String key) {
        Instant now = clock.instant();
        ArrayDeque<Instant> times = recent(key, now);
        if (times == null) {
            times = new ArrayDeque<>(limit);
            failures.put(key, times);
        }
        times.addLast(now);
        while (times.size() > limit) times.removeFirst();
    }

    /** Forgets the failures of {@code key}. */
    public synchronized void reset(String key) {
        failures.remove(key);
    }

    /** The failures of {@code key} still in the window, or null if there are none (and the key is dropped). */
    private ArrayDeque<Instant> recent(String key, Instant now) {
        ArrayDeque<Instant> times = failures.get(key);
        if (times == null) return null;
        Instant start = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(start)) times.removeFirst();
        if (!times.isEmpty()) return times;
        failures.remove(key);
        return null;
    }
}
