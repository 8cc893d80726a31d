package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import io.connectorhub.core.Revocations;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Users disabled and sign-in sessions revoked while their access tokens may still be valid: a token naming one of them
 * is refused at once instead of at its expiry. An entry is kept as long as a token issued before it could live, so
 * memory stays bounded by what happened in one token lifetime. On PostgreSQL the instance that cuts someone off tells
 * the others ({@link #announce}), which take the notice in ({@link #heard}). Thread-safe.
 */
final class CutOff {
    private static final String USER = "user ";
    private static final String SESSION = "session ";
    private static final String ENABLED = "enabled ";

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

    /** Takes in a notice of {@link #announce} from any instance; ignores what it does not know. */
    void heard(String notice) {
        if (notice.startsWith(USER)) user(notice.substring(USER.length()));
        else if (notice.startsWith(SESSION)) session(notice.substring(SESSION.length()));
        else if (notice.startsWith(ENABLED)) restore(notice.substring(ENABLED.length()));
    }

    /**
     * On PostgreSQL, tells every instance within {@code h}'s transaction, once it commits, that user {@code userId} was
     * disabled or deleted ({@code active} false) or enabled again (true); on SQLite does nothing.
     */
    static void announceUser(ModuleState state, Handle h, String userId, boolean active) {
        announce(state, h, (active ? ENABLED : USER) + userId);
    }

    /** Like {@link #announceUser}, for sign-in session {@code sessionId} revoked. */
    static void announceSession(ModuleState state, Handle h, String sessionId) {
        announce(state, h, SESSION + sessionId);
    }

    private void add(String key) {
        Instant now = clock.instant();
        until.values().removeIf(t -> t.isBefore(now));
        until.put(key, now.plus(keep));
    }

    private static void announce(ModuleState state, Handle h, String notice) {
        if (!"postgresql".equals(state.dialect())) return;
        h.createQuery("SELECT pg_notify(:channel, :notice)")
                .bind("channel", Revocations.CHANNEL)
                .bind("notice", notice)
                .map((rs, ctx) -> 1) // pg_notify returns void
                .one();
    }
}
