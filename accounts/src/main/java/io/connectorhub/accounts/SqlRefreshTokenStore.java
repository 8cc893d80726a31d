package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Refresh tokens and their families in the accounts module's tables ({@code refresh_tokens}, {@code
 * refresh_families}). Thread-safe.
 */
public final class SqlRefreshTokenStore implements RefreshTokenStore {
    private final ModuleState state;

    public SqlRefreshTokenStore(ModuleState state) {
        this.state = state;
    }

    @Override
    public void add(RefreshToken t) {
        state.write(h -> {
            h.execute(
                    "INSERT INTO refresh_families (id, user_id, created_at) SELECT ?, ?, ? WHERE NOT EXISTS"
                            + " (SELECT 1 FROM refresh_families WHERE id = ?)",
                    t.familyId(),
                    t.userId(),
                    t.issuedAt().toEpochMilli(),
                    t.familyId());
            return h.execute(
                    "INSERT INTO refresh_tokens (hash, family_id, user_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    t.hash(),
                    t.familyId(),
                    t.userId(),
                    t.issuedAt().toEpochMilli(),
                    t.expiresAt().toEpochMilli());
        });
    }

    @Override
    public Optional<RefreshToken> find(String hash) {
        return state.read(h -> h.createQuery("SELECT t.*, f.revoked_at FROM refresh_tokens t"
                        + " JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> new RefreshToken(
                        rs.getString("hash"),
                        rs.getString("family_id"),
                        rs.getString("user_id"),
                        Instant.ofEpochMilli(rs.getLong("issued_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at")),
                        instant(rs.getLong("used_at"), rs.wasNull()),
                        instant(rs.getLong("revoked_at"), rs.wasNull())))
                .findOne());
    }

    @Override
    public boolean markUsed(String hash, Instant at) {
        return state.write(h -> h.execute(
                        "UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL",
                        at.toEpochMilli(),
                        hash))
                == 1;
    }

    /** On PostgreSQL also tells every instance, when it commits, that the family is cut off. */
    @Override
    public void revokeFamily(String familyId, Instant at) {
        state.write(h -> {
            int revoked = h.execute(
                    "UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    at.toEpochMilli(),
                    familyId);
            if (revoked > 0) CutOff.announceSession(state, h, familyId);
            return revoked;
        });
    }

    @Override
    public void revokeFamiliesOf(String userId, String keepFamilyId, Instant at) {
        state.write(h -> h.execute(
                "UPDATE refresh_families SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
                at.toEpochMilli(),
                userId,
                keepFamilyId == null ? "" : keepFamilyId));
    }

    /** Records that sign-in session {@code familyId} is device {@code deviceId}'s. */
    public void attachDevice(String familyId, String deviceId) {
        state.write(h -> h.execute("UPDATE refresh_families SET device_id = ? WHERE id = ?", deviceId, familyId));
    }

    /** The sign-in sessions of {@code userId} not revoked yet. */
    public List<String> liveFamiliesOf(String userId) {
        return state.read(
                h -> h.createQuery("SELECT id FROM refresh_families WHERE user_id = :u AND revoked_at IS NULL")
                        .bind("u", userId)
                        .mapTo(String.class)
                        .list());
    }

    private static Instant instant(long millis, boolean wasNull) {
        return wasNull ? null : Instant.ofEpochMilli(millis);
    }
}
