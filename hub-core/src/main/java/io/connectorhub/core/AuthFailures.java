package io.connectorhub.core;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed credential checks per client IP ({@code admin.authFailuresPerMinute}), one lockout shared by everything that
 * checks a secret: admin tokens, inbound hook credentials, gateway heartbeat tokens, WebSocket tokens. A client that
 * failed too often this minute is refused outright, with 429, whatever it sends, so guessing any of the hub's tokens
 * counts against the same budget. One instance per hub, handed out by the runtime. Thread-safe.
 */
public final class AuthFailures {
    /** The error a locked-out client gets with its 429. */
    public static final String LOCKED_OUT = "too many failed attempts; retry later";
    /** The {@code Retry-After} header of that 429, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "60";

    private static final int MAX_TRACKED_CLIENTS = 10_000;

    private final RateLimiterConfig limit;
    private final Map<String, RateLimiter> byClient = new ConcurrentHashMap<>();

    /** @param perMinute failed attempts a client IP may make per minute before it is refused outright */
    public AuthFailures(int perMinute) {
        this.limit = RateLimiterConfig.custom()
                .limitForPeriod(perMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    /** Whether {@code client} (an IP address) failed too often this minute and is to be refused outright. */
    public boolean lockedOut(String client) {
        RateLimiter limiter = byClient.get(client);
        return limiter != null && limiter.getMetrics().getAvailablePermissions() <= 0;
    }

    /** Counts a failed credential check by {@code client} (an IP address) toward its lockout. */
    public void record(String client) {
        if (byClient.size() > MAX_TRACKED_CLIENTS) byClient.clear();
        byClient.computeIfAbsent(client, c -> RateLimiter.of("auth-failures-" + c, limit))
                .acquirePermission();
    }

    /**
     * If the request's client IP is {@linkplain #lockedOut locked out}, answers 429 with {@code Retry-After} and
     * returns true; the caller then stops. Check before looking at the credentials.
     */
    public boolean refuse(Context ctx) {
        if (!lockedOut(ctx.ip())) return false;
        ctx.status(429).header("Retry-After", RETRY_AFTER_SECONDS).json(Map.of("error", LOCKED_OUT));
        return true;
    }
}
