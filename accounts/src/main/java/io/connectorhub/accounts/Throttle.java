package io.connectorhub.accounts;

import io.connectorhub.core.FailureLog;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Failures per key (a client IP, a username, a chat sender) in a sliding window: a key with {@code limit} failures in
 * the last {@code window} is locked until the oldest of them leaves the window. The failures are kept in a
 * {@link FailureLog} under this throttle's scope: the hub's database, so a lockout holds on every instance sharing it;
 * or this process's memory, bounded to {@code maxKeys} keys (the least recently seen are dropped). Thread-safe.
 */
public final class Throttle {
    private final int limit;
    private final Duration window;
    private final FailureLog failures;
    private final String scope;
    private final InstantSource clock;

    /** Kept in this process's memory, at most {@code maxKeys} keys. */
    public Throttle(int limit, Duration window, int maxKeys, InstantSource clock) {
        this(limit, window, FailureLog.inMemory(Math.max(maxKeys, 1), Math.max(limit, 1)), "throttle", clock);
        if (maxKeys < 1) throw new IllegalArgumentException("a throttle needs a number of keys above zero");
    }

    /** Kept in {@code failures} under {@code scope}, a name no other throttle on the same log uses. */
    public Throttle(int limit, Duration window, FailureLog failures, String scope, InstantSource clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a throttle needs a limit, a window and a number of keys above zero");
        }
        if (window.toMinutes() >= FailureLog.KEEP_MINUTES)
            throw new IllegalArgumentException("a throttle's window must be shorter than the failures are kept");
        this.limit = limit;
        this.window = window;
        this.failures = failures;
        this.scope = scope;
        this.clock = clock;
    }

    /** How long {@code key} is still locked, or empty if it is not. */
    public Optional<Duration> retryAfter(String key) {
        Instant now = clock.instant();
        List<Instant> recent = failures.after(scope, key, now.minus(window), limit);
        if (recent.size() < limit) return Optional.empty();
        return Optional.of(Duration.between(now, recent.get(limit - 1).plus(window)));
    }

    /** Counts a failure of {@code key} now. */
    public void fail(String key) {
        failures.add(scope, key, clock.instant());
    }

    /** Forgets the failures of {@code key}. */
    public void reset(String key) {
        failures.clear(scope, key);
    }
}
