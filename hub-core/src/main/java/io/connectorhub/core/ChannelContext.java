package io.connectorhub.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * What the hub gives each channel: where to hand in messages, the sessions and outbox (for channels that answer
 * history queries or replay a reply), the shared HTTP client (derive variants with {@code newBuilder()}), the data
 * directory, the channel's own tables ({@link #state}), counters, the clock, and the hub's per-IP lockout that wrong
 * credentials count toward.
 *
 * @param states opens a module's tables by the module's name; use {@link #state}
 * @param users checks users' access tokens (a channel that lets users sign in, such as the WebSocket one)
 * @param revocations whether a signed-in user was cut off since: close their connections
 */
public record ChannelContext(
        InboundGate inbound,
        SessionStore sessions,
        Outbox outbox,
        OkHttpClient http,
        Path dataDir,
        Function<String, ModuleState> states,
        HubMetrics metrics,
        Clock clock,
        AuthFailures authFailures,
        UserTokens users,
        Revocations revocations) {

    /** This context with users' access tokens checked by {@code users}, and cut off by {@code revocations}. */
    public ChannelContext withUsers(UserTokens users, Revocations revocations) {
        return new ChannelContext(
                inbound, sessions, outbox, http, dataDir, states, metrics, clock, authFailures, users, revocations);
    }

    /**
     * The tables of {@code module} (e.g. {@code telegram}), once its migration scripts have run: Flyway's
     * {@code V<n>__<what>.sql} from the class path under {@code db/<module>/common} and {@code db/<module>/<dialect>}.
     * The scripts run once per hub start, on the first call; later calls return at once. Call it where I/O is allowed
     * ({@link BaseChannel#start()}), not in a constructor. Throws {@link HubException} if a migration fails.
     */
    public ModuleState state(String module) {
        return states.apply(module);
    }
}
