package io.connectorhub.accounts;

/** The outcome of checking an access token. */
public sealed interface TokenCheck {
    /** Signed by this hub, for this hub, and within its lifetime. */
    record Valid(AccessClaims claims) implements TokenCheck {}

    /**
     * Signed by this hub, for this hub, but past its expiry (clock skew allowed for): the holder only needs a fresh
     * token, so this is not a failed credential and must not count toward a lockout.
     */
    record Expired(String userId) implements TokenCheck {}

    /**
     * Not a valid token of this hub (malformed, tampered with, signed by another key or algorithm, without a key id,
     * or missing a claim): a failed credential. {@code reason} is for the log and holds no part of the token.
     */
    record Invalid(String reason) implements TokenCheck {}
}
