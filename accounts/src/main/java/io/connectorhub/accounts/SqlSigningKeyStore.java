package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The signing keys in a PostgreSQL database's {@code secrets} table (where the hub keeps the secrets it generates),
 * under the name {@value #NAME}, so that every instance on the database signs and verifies with the same keys.
 * Thread-safe.
 */
public final class SqlSigningKeyStore implements SigningKeyStore {
    public static final String NAME = "accounts.signing-keys";

    private final ModuleState state;
    private final InstantSource clock;

    public SqlSigningKeyStore(ModuleState state, InstantSource clock) {
        this.state = state;
        this.clock = clock;
    }

    @Override
    public Optional<String> load() {
        return state.read(h -> h.createQuery("SELECT value FROM secrets WHERE name = :name")
                .bind("name", NAME)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void save(String jwkSet) {
        state.write(h -> h.execute(
                "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                NAME,
                jwkSet,
                clock.millis()));
    }

    @Override
    public String create(String jwkSet) {
        return state.write(h -> {
            h.execute(
                    "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                    NAME,
                    jwkSet,
                    clock.millis());
            return h.createQuery("SELECT value FROM secrets WHERE name = :name")
                    .bind("name", NAME)
                    .mapTo(String.class)
                    .one();
        });
    }

    @Override
    public String toString() {
        return "the database's secrets table, secret " + NAME;
    }
}
