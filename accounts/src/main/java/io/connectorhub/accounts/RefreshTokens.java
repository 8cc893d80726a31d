package io.connectorhub.accounts;

import io.connectorhub.core.GeneratedSecret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens: opaque random values (256 bits, base64url) stored only as their SHA-256. Each works once: {@link
 * #refresh} exchanges it for a new token of the same family and marks it used; presenting a used token again means it
 * was copied, so the whole family is revoked (reuse detection), the thief's and the owner's tokens alike. Thread-safe
 * if the store is. Tokens are secret: never logged; {@link Issued#toString()} hides them.
 */
public final class RefreshTokens {
    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    /** The default lifetime of a token (setting {@code auth.refreshTokenTtl}); each refresh starts it anew. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);

    private static final int TOKEN_BYTES = 32;
    private static final int FAMILY_BYTES = 16;

    /** A new token: {@code token} is for the client and shown once; {@code familyId} is the sign-in session. */
    public record Issued(String token, String familyId, String userId, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[token=(secret), familyId=" + familyId + ", userId=" + userId + ", expiresAt=" + expiresAt
                    + "]";
        }
    }

    /** The outcome of a {@link #refresh}. */
    public sealed interface Outcome {
        /** The presented token is now used; {@code next} replaces it. */
        record Rotated(Issued next) implements Outcome {}

        /** The token had been used before: its family {@code familyId} of user {@code userId} is now revoked. */
        record Reused(String userId, String familyId) implements Outcome {}

        /** Unknown, expired, or of a revoked family: nothing changed. */
        record Refused() implements Outcome {}
    }

    private final RefreshTokenStore store;
    private final Duration ttl;
    private final InstantSource clock;

    public RefreshTokens(RefreshTokenStore store, Duration ttl, InstantSource clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The first token of a new family (a new sign-in session) of {@code userId}. */
    public Issued start(String userId) {
        return add(GeneratedSecret.random(FAMILY_BYTES), userId, clock.instant());
    }

    /** Exchanges {@code presented} for a new token of its family; see {@link Outcome}. */
    public Outcome refresh(String presented) {
        if (presented == null || presented.isEmpty()) return new Outcome.Refused();
        Instant now = clock.instant();
        String hash = Hashes.sha256(presented);
        RefreshToken token = store.find(hash).orElse(null);
        if (token == null || token.familyRevokedAt() != null) return new Outcome.Refused();
        if (token.usedAt() != null) return reused(token, now);
        if (!token.expiresAt().isAfter(now)) return new Outcome.Refused();
        if (!store.markUsed(hash, now)) return reused(token, now); // another caller exchanged it a moment ago
        return new Outcome.Rotated(add(token.familyId(), token.userId(), now));
    }

    /** Signs out: revokes the family of {@code presented}. Returns false if no such token is stored. */
    public boolean revoke(String presented) {
        if (presented == null || presented.isEmpty()) return false;
        return store.find(Hashes.sha256(presented))
                .map(token -> {
                    store.revokeFamily(token.familyId(), clock.instant());
                    return true;
                })
                .orElse(false);
    }

    /** Revokes sign-in session {@code familyId} (e.g. of a removed device). */
    public void revokeFamily(String familyId) {
        store.revokeFamily(familyId, clock.instant());
    }

    /**
     * Revokes every sign-in session of {@code userId} but {@code keepFamilyId} (null: all), as a password change or a
     * disabled user needs.
     */
    public void revokeAllOf(String userId, String keepFamilyId) {
        store.revokeFamiliesOf(userId, keepFamilyId, clock.instant());
    }

    private Outcome reused(RefreshToken token, Instant now) {
        store.revokeFamily(token.familyId(), now);
        log.warn(
                "A used refresh token of user {} was presented again: revoked its sign-in session {}",
                token.userId(),
                token.familyId());
        return new Outcome.Reused(token.userId(), token.familyId());
    }

    private Issued add(String familyId, String userId, Instant now) {
        String token = GeneratedSecret.random(TOKEN_BYTES);
        Instant expiresAt = now.plus(ttl);
        store.add(RefreshToken.issued(Hashes.sha256(token), familyId, userId, now, expiresAt));
        return new Issued(token, familyId, userId, expiresAt);
    }
}
