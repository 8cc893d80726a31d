package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import java.time.Instant;
import java.util.Optional;

/** One-time codes in the accounts module's table {@code one_time_codes}, as hashes. Thread-safe. */
public final class SqlCodeStore implements OneTimeCodeStore {
    private final ModuleState state;

    public SqlCodeStore(ModuleState state) {
        this.state = state;
    }

    @Override
    public void add(StoredCode code) {
        state.write(h -> h.execute(
                "INSERT INTO one_time_codes (hash, purpose, subject, expires_at) VALUES (?, ?, ?, ?)",
                code.hash(),
                code.purpose(),
                code.subject(),
                code.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<StoredCode> take(String hash) {
        return state.write(h -> {
            Optional<StoredCode> code = h.createQuery("SELECT * FROM one_time_codes WHERE hash = :hash")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new StoredCode(
                            rs.getString("hash"),
                            rs.getString("purpose"),
                            rs.getString("subject"),
                            Instant.ofEpochMilli(rs.getLong("expires_at"))))
                    .findOne();
            code.ifPresent(c -> h.execute("DELETE FROM one_time_codes WHERE hash = ?", hash));
            return code;
        });
    }
}
