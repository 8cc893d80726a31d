package io.connectorhub.accounts;

import java.util.Optional;

/** Signing keys kept in memory, as the database will keep them. */
public final class MemorySigningKeyStore implements SigningKeyStore {
    private volatile String saved;

    @Override
    public Optional<String> load() {
        return Optional.ofNullable(saved);
    }

    @Override
    public void save(String jwkSet) {
        saved = jwkSet;
    }

    @Override
    public String toString() {
        return "memory";
    }
}
