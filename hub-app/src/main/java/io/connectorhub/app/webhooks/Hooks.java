package io.connectorhub.app.webhooks;

import io.connectorhub.core.ModuleState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The {@code hooks} table: the inbound hooks an admin created. Thread-safe. */
public final class Hooks {
    private static final RowMapper<Hook> HOOK = ConstructorMapper.of(Hook.class);

    /** An inbound hook; the token is kept as its hash only. */
    public record Hook(String id, String description, String tokenHash, String secret, Instant createdAt) {
        @Override
        public String toString() {
            return "Hook[id=" + id + "]";
        }
    }

    private final ModuleState store;
    private final Clock clock;

    /** @param store the tables of the webhooks module, migrated */
    public Hooks(ModuleState store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void insert(Hook hook) {
        store.write(h -> h.createUpdate("INSERT INTO hooks (id, description, token_hash, secret, created_at) "
                        + "VALUES (:id, :d, :hash, :secret, :now)")
                .bind("id", hook.id())
                .bind("d", hook.description())
                .bind("hash", hook.tokenHash())
                .bind("secret", hook.secret())
                .bind("now", clock.millis())
                .execute());
    }

    public List<Hook> list() {
        return store.read(h -> Rows.query(h, "SELECT * FROM hooks ORDER BY created_at, id")
                .map(HOOK)
                .list());
    }

    public Optional<Hook> find(String id) {
        return store.read(h -> Rows.query(h, "SELECT * FROM hooks WHERE id = :id")
                .bind("id", id)
                .map(HOOK)
                .findOne());
    }

    public boolean delete(String id) {
        return store.write(h -> h.createUpdate("DELETE FROM hooks WHERE id = :id")
                        .bind("id", id)
                        .execute()
                > 0);
    }
}
