package io.connectorhub.accounts;

import java.util.Optional;

/**
 * Where {@link SigningKeys} are kept between runs: a JWK set in JSON that holds the private keys, so it is secret and
 * must be readable by the hub alone. Implementations are thread-safe; their {@code toString()} names the place (for
 * error messages), never the content.
 */
public interface SigningKeyStore {
    /** The JWK set saved last, or empty if none was ever saved. */
    Optional<String> load();

    /** Replaces the saved JWK set with {@code jwkSet}, all at once (a reader sees the old one or the new one). */
    void save(String jwkSet);

    /**
     * Saves {@code jwkSet} unless a JWK set was saved already, and returns the one saved: of two hubs sharing the store
     * and creating their first key at once, both get the same set.
     */
    default String create(String jwkSet) {
        save(jwkSet);
        return jwkSet;
    }
}
