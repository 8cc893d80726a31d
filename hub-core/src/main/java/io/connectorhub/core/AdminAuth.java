package io.connectorhub.core;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication for admin routes. Wrap each admin handler with {@link #read} or {@link #write}: a
 * request without a valid token gets 401, a token without the scope 403, and a client IP that fails too often gets
 * 429 for the rest of the minute. Routes with their own tokens (inbound hooks, gateway heartbeats) share that limit
 * through {@link #lockedOut} and {@link #recordFailure}, so guessing any of the hub's tokens counts against the same
 * client. Tokens are compared in constant time and never logged. Thread-safe.
 */
public final class AdminAuth {
    private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);
    public static final String READ = "admin.read";
    public static final String WRITE = "admin.write";
    /** The error a locked-out client gets with its 429. */
    public static final String LOCKED_OUT = "too many failed attempts; retry later";
    /** The {@code Retry-After} header of that 429, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "60";

    private static final int MAX_TRACKED_CLIENTS = 10_000;

    /** One admin token and what it may do. */
    public record Token(String token, Set<String> scopes) {
        public Token {
            scopes = Set.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Token[scopes=" + scopes + "]";
        }
    }

    private final List<Token> tokens;
    private final RateLimiterConfig failures;
    private final Map<String, RateLimiter> failuresByClient = new ConcurrentHashMap<>();

    /** @param failuresPerMinute failed attempts a client IP may make per minute before it is refused outright */
    public AdminAuth(List<Token> tokens, int failuresPerMinute) {
        this.tokens = List.copyOf(tokens);
        this.failures = RateLimiterConfig.custom()
                .limitForPeriod(failuresPerMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    /** {@code handler}, for tokens with {@code admin.read}. */
    public Handler read(Handler handler) {
        return guard(READ, handler);
    }

    /** {@code handler}, for tokens with {@code admin.write}. */
    public Handler write(Handler handler) {
        return guard(WRITE, handler);
    }

    private Handler guard(String scope, Handler handler) {
        return ctx -> {
            String client = ctx.ip();
            if (refuseLockedOut(ctx)) return;
            Token token = authenticate(ctx);
            if (token == null) {
                recordFailure(client);
                log.info(
                        "Admin request {} {} from {} refused: missing or wrong token",
                        ctx.method(),
                        ctx.path(),
                        client);
                ctx.status(401)
                        .header("WWW-Authenticate", "Bearer")
                        .json(Map.of("error", "missing or wrong admin token: send Authorization: Bearer <token>"));
                return;
            }
            if (!token.scopes().contains(scope)) {
                ctx.status(403).json(Map.of("error", "this token lacks the " + scope + " scope"));
                return;
            }
            handler.handle(ctx);
        };
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null without one. */
    public static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.startsWith("Bearer ")
                ? header.substring(7).strip()
                : null;
    }

    private Token authenticate(Context ctx) {
        String presented = bearer(ctx);
        if (presented == null) return null;
        Token match = null;
        for (Token t : tokens) {
            // Check every token, so the time taken does not tell which one nearly matched.
            if (GeneratedSecret.matches(t.token(), presented)) match = t;
        }
        return match;
    }

    /** Whether {@code client} (an IP address) failed too often this minute and is to be refused outright. */
    public boolean lockedOut(String client) {
        RateLimiter limiter = failuresByClient.get(client);
        return limiter != null && limiter.getMetrics().getAvailablePermissions() <= 0;
    }

    /**
     * If the request's client IP is {@linkplain #lockedOut locked out}, answers 429 with {@code Retry-After} and
     * returns true; the caller then stops. Check before looking at the credentials.
     */
    public boolean refuseLockedOut(Context ctx) {
        if (!lockedOut(ctx.ip())) return false;
        ctx.status(429).header("Retry-After", RETRY_AFTER_SECONDS).json(Map.of("error", LOCKED_OUT));
        return true;
    }

    /** Counts a failed credential check by {@code client} (an IP address) toward its lockout. */
    public void recordFailure(String client) {
        if (failuresByClient.size() > MAX_TRACKED_CLIENTS) failuresByClient.clear();
        failuresByClient
                .computeIfAbsent(client, c -> RateLimiter.of("admin-auth-" + c, failures))
                .acquirePermission();
    }
}
