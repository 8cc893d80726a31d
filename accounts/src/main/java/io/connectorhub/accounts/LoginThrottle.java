package io.connectorhub.accounts;

import io.connectorhub.core.FailureLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Failed sign-ins counted per client IP and per username (case-insensitive), each with its own lockout, so that
 * neither guessing one user's password from many addresses nor many users' passwords from one address gets far. A
 * locked-out attempt is refused before its password is checked and is not counted. What is a failure is the caller's
 * rule: a wrong password or an invalid token is; an expired token with a valid signature is not (a household behind one
 * address would otherwise lock itself out). Thread-safe.
 */
public final class LoginThrottle {
    /** Default failures per client IP in {@link #DEFAULT_WINDOW}: enough for a household's typos, not for guessing. */
    public static final int DEFAULT_PER_IP = 10;
    /** Default failures per username in {@link #DEFAULT_WINDOW}: a user's typos; a guesser gets 480 tries a day. */
    public static final int DEFAULT_PER_USERNAME = 5;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    /** How many IPs and how many usernames are tracked at most (the least recently seen go first). */
    public static final int DEFAULT_MAX_TRACKED = 10_000;

    private final Throttle perIp;
    private final Throttle perUsername;

    public LoginThrottle(Throttle perIp, Throttle perUsername) {
        this.perIp = perIp;
        this.perUsername = perUsername;
    }

    /** With the defaults above, kept in this process's memory. */
    public static LoginThrottle withDefaults(InstantSource clock) {
        return new LoginThrottle(
                new Throttle(DEFAULT_PER_IP, DEFAULT_WINDOW, DEFAULT_MAX_TRACKED, clock),
                new Throttle(DEFAULT_PER_USERNAME, DEFAULT_WINDOW, DEFAULT_MAX_TRACKED, clock));
    }

    /**
     * With the defaults above, the failures kept in {@code failures} (the hub's database, so that the lockouts hold on
     * every instance sharing it), scopes {@code login.ip} and {@code login.username}.
     */
    public static LoginThrottle withDefaults(FailureLog failures, InstantSource clock) {
        return new LoginThrottle(
                new Throttle(DEFAULT_PER_IP, DEFAULT_WINDOW, failures, "login.ip", clock),
                new Throttle(DEFAULT_PER_USERNAME, DEFAULT_WINDOW, failures, "login.username", clock));
    }

    /** How long a sign-in as {@code username} from {@code ip} is still refused, or empty if it may be tried. */
    public Optional<Duration> retryAfter(String ip, String username) {
        return Stream.of(perIp.retryAfter(ip), perUsername.retryAfter(key(username)))
                .flatMap(Optional::stream)
                .max(Duration::compareTo);
    }

    /** Counts a failed sign-in as {@code username} from {@code ip}. */
    public void failed(String ip, String username) {
        perIp.fail(ip);
        perUsername.fail(key(username));
    }

    /** A sign-in as {@code username} succeeded: its failures are forgotten (the IP's are not). */
    public void succeeded(String username) {
        perUsername.reset(key(username));
    }

    private static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }
}
