package io.connectorhub.core.internal.store;

import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.GeneratedSecrets;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Generated secrets in the {@code secrets} table of a PostgreSQL {@link Store}: the first instance to create one
 * keeps it, every other instance reads that one.
 */
public final class StoredSecrets implements GeneratedSecrets {
    private final Store store;
    private final Clock clock;

    public StoredSecrets(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String loadOrCreate(String name, String label, String configKey, PrintStream console) {
        Optional<String> existing = store.read(h -> value(h, name));
        if (existing.isPresent()) return existing.get();
        String fresh = GeneratedSecret.random(32);
        boolean created = store.write(h -> h.createUpdate(
                                "INSERT INTO secrets (name, value, created_at) VALUES (:name, :value, :now) "
                                        + "ON CONFLICT (name) DO NOTHING")
                        .bind("name", name)
                        .bind("value", fresh)
                        .bind("now", clock.millis())
                        .execute())
                == 1;
        if (!created) return store.read(h -> value(h, name)).orElseThrow();
        if (console != null) {
            console.println("Generated the " + label + " and saved it in the database as secret " + name
                    + " (shown this once):");
            console.println("  " + fresh);
            console.println("Set " + configKey + " in hub.yaml to choose your own.");
        }
        return fresh;
    }

    /**
     * The secret kept under {@code name} in the database at {@code url}, read over one connection of its own (for the
     * command line, which has no store open); empty when there is none or the database cannot be read.
     */
    public static Optional<String> read(PostgresUrl url, String name) {
        try {
            return Jdbi.create(url.jdbcUrl(), url.login()).withHandle(h -> value(h, name));
        } catch (JdbiException e) {
            return Optional.empty();
        }
    }

    /** The secret kept under {@code name}, read on {@code h}. */
    public static Optional<String> value(Handle h, String name) {
        return h.createQuery("SELECT value FROM secrets WHERE name = :name")
                .bind("name", name)
                .mapTo(String.class)
                .findOne();
    }
}
