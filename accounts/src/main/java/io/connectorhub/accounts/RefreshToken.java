package io.connectorhub.accounts;

import java.time.Instant;

/**
 * A refresh token as stored: only the SHA-256 of the token ({@code hash}, base64url), never the token. Every token
 * belongs to a family ({@code familyId}, one sign-in session): refreshing replaces it by a new token of the same
 * family. {@code usedAt} is null until it was exchanged; {@code familyRevokedAt} is null until its family was revoked
 * (by a sign-out, a password change or a detected reuse), after which no token of the family works.
 */
public record RefreshToken(
        String hash,
        String familyId,
        String userId,
        Instant issuedAt,
        Instant expiresAt,
        Instant usedAt,
        Instant familyRevokedAt) {
    /** A token as first stored: unused, its family not revoked. */
    public static RefreshToken issued(
            String hash, String familyId, String userId, Instant issuedAt, Instant expiresAt) {
        return new RefreshToken(hash, familyId, userId, issuedAt, expiresAt, null, null);
    }
}
