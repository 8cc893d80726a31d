package io.connectorhub.core;

/**
 * Tells whether a signed-in user was cut off since their access token was checked (the user disabled or deleted, the
 * sign-in session signed out or revoked), so that a long-lived connection can be closed before its token expires.
 * Cheap: no cryptography, no I/O. Thread-safe.
 */
@FunctionalInterface
public interface Revocations {
    /**
     * The PostgreSQL channel on which the instance that cuts a user or a sign-in session off tells every instance, in
     * the transaction that does it ({@code NOTIFY}, ids only).
     */
    String CHANNEL = "hub_cutoffs";

    boolean revoked(Principal principal);
}
