package io.connectorhub.accounts;

import java.time.Instant;
import java.util.Optional;

/** Where the challenges handed to devices wait for their answer (the database, so that any instance takes the answer). Thread-safe. */
public interface DeviceNonces {
    /** A challenge issued to device {@code deviceId}, answerable until {@code expiresAt}. */
    record Pending(String deviceId, Instant expiresAt) {}

    /** Keeps {@code nonce} until it is taken (or dropped after it expired). */
    void put(String nonce, Pending pending);

    /** Removes and returns {@code nonce}'s challenge, atomically: of two callers at once, one gets it. */
    Optional<Pending> take(String nonce);
}
