package io.connectorhub.core;

/**
 * Checks a user's access token (the bearer string of {@code Authorization: Bearer} or of a WebSocket {@code connect}),
 * so that channels and the admin API can accept users without depending on the accounts module. Thread-safe.
 */
@FunctionalInterface
public interface UserTokens {
    /** The outcome of a check. */
    sealed interface Check {
        /** A valid token of an active user. */
        record Valid(Principal principal) implements Check {}

        /** A token this hub signed, past its expiry: the holder needs a fresh one; not a failed credential. */
        record Expired() implements Check {}

        /** Not a valid token of this hub, or of a user who is disabled or signed out: a failed credential. */
        record Invalid() implements Check {}
    }

    /** What {@code token} is; never throws for a bad token. */
    Check check(String token);

    /** A checker that knows no user: every token is invalid (a hub without accounts, tests). */
    static UserTokens none() {
        return token -> new Check.Invalid();
    }
}
