package io.connectorhub.accounts;

import java.time.Instant;
import java.util.Optional;

/** Where refresh tokens and their families are kept (the database, or memory in tests). Thread-safe. */
public interface RefreshTokenStore {
    /** Stores a new token (unused); its family exists from its first token on. */
    void add(RefreshToken token);

    /** The token whose hash is {@code hash}, with its family's revocation, if stored. */
    Optional<RefreshToken> find(String hash);

    /**
     * Marks the token used at {@code at} if it is not used yet, atomically: of two callers at once, one gets true.
     * Returns false if it was already used (or is not stored).
     */
    boolean markUsed(String hash, Instant at);

    /** Revokes family {@code familyId} at {@code at}, if it is not revoked already. */
    void revokeFamily(String familyId, Instant at);

    /** Revokes every family of {@code userId} at {@code at} except {@code keepFamilyId} (null: all of them). */
    void revokeFamiliesOf(String userId, String keepFamilyId, Instant at);
}
