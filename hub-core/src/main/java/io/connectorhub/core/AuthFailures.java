package io.connectorhub.core;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Failed credential checks per client IP ({@code admin.authFailuresPerMinute}), one lockout shared by everything that
 * checks a secret: admin tokens, inbound hook credentials, gateway heartbeat tokens, WebSocket tokens. A client that
 * failed too often this minute is refused outright, with 429, whatever it sends, so guessing any of the hub's tokens
 * counts against the same budget. One instance per hub, handed out by the runtime; its failures are in the hub's
 * database, so a lockout holds on every instance sharing it. Thread-safe.
 */
public final class AuthFailures {
    /** The error a locked-out client gets with its 429. */
    public static final String LOCKED_OUT = "too many failed attempts; retry later";
    /** The {@code Retry-After} header of that 429, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "60";
    /** The scope of these failures in the {@link FailureLog}. */
    public static final String SCOPE = "auth";

    private static final int MAX_TRACKED_CLIENTS = 10_000;

    private final int perMinute;
    private final FailureLog failures;
    private final InstantSource clock;

    /** Counted in this process alone. @param perMinute failed attempts a client IP may make per minute */
    public AuthFailures(int perMinute) {
        this(perMinute, FailureLog.inMemory(MAX_TRACKED_CLIENTS, perMinute), InstantSource.system());
    }

    /**
     * @param perMinute failed attempts a client IP may make per clock minute (a fixed window, from :00 to :59 seconds)
     *     before it is refused outright for the rest of that minute
     * @param failures where the failures are counted: the hub's database, so that every instance sees them
     */
    public AuthFailures(int perMinute, FailureLog failures, InstantSource clock) {
        this.perMinute = perMinute;
        this.failures = failures;
        this.clock = clock;
    }

    /** Whether {@code client} (an IP address) failed too often this minute and is to be refused outright. */
    public boolean lockedOut(String client) {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        return failures.after(SCOPE, client, minute.minusMillis(1), perMinute).size() >= perMinute;
    }

    /** Counts a failed credential check by {@code client} (an IP address) toward its lockout. */
    public void record(String client) {
        failures.add(SCOPE, client, clock.instant());
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
