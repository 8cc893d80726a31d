package io.connectorhub.accounts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Refresh tokens in memory, with the semantics the database store must have. Thread-safe. */
final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private record Family(String userId, Instant revokedAt) {}

    private final Map<String, RefreshToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    @Override
    public void add(RefreshToken token) {
        families.putIfAbsent(token.familyId(), new Family(token.userId(), null));
        tokens.put(token.hash(), token);
    }

    @Override
    public Optional<RefreshToken> find(String hash) {
        return Optional.ofNullable(tokens.get(hash))
                .map(t -> new RefreshToken(
                        t.hash(),
                        t.familyId(),
                        t.userId(),
                        t.issuedAt(),
                        t.expiresAt(),
                        t.usedAt(),
                        families.get(t.familyId()).revokedAt()));
    }

    @Override
    public boolean markUsed(String hash, Instant at) {
        boolean[] marked = {false};
        tokens.computeIfPresent(hash, (h, t) -> {
            if (t.usedAt() != null) return t;
            marked[0] = true;
            return new RefreshToken(h, t.familyId(), t.userId(), t.issuedAt(), t.expiresAt(), at, null);
        });
        return marked[0];
    }

    @Override
    public void revokeFamily(String familyId, Instant at) {
        families.computeIfPresent(familyId, (id, f) -> f.revokedAt() != null ? f : new Family(f.userId(), at));
    }

    @Override
    public void revokeFamiliesOf(String userId, String keepFamilyId, Instant at) {
        families.forEach((id, f) -> {
            if (f.userId().equals(userId) && !Objects.equals(id, keepFamilyId)) revokeFamily(id, at);
        });
    }

    /** Everything stored, for tests that look for secrets in it. */
    Collection<RefreshToken> all() {
        return List.copyOf(tokens.values());
    }
}
