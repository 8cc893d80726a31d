package io.connectorhub.accounts;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users disabled and sign-in sessions revoked while their access tokens may still be valid: a token naming one of them
 * is refused at once instead of at its expiry. An entry is kept as long as a token issued before it could live, so
 * memory stays bounded by what happened in one token lifetime. Thread-safe.
 */
final class CutOff {
    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final Duration keep;
    private final InstantSource clock;

    /** @param keep the longest an access token is valid, clock skew included */
    CutOff(Duration keep, InstantSource clock) {
        this.keep = keep;
        this.clock = clock;
    }

    void user(String userId) {
        add("u:" + userId);
    }

    /** Lets {@code userId}'s tokens through again (the user was enabled). */
    void restore(String userId) {
        until.remove("u:" + userId);
    }

    void session(String sessionId) {
        add("s:" + sessionId);
    }

    boolean refuses(String userId, String sessionId) {
        return until.containsKey("u:" + userId) || until.containsKey("s:" + sessionId);
    }

    private void add(String key) {
        Instant now = clock.instant();
        until.values().removeIf(t -> t.isBefore(now));
        until.put(key, now.plus(keep));
    }
}
