package io.connectorhub.accounts;

import io.connectorhub.core.ModuleState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Pending device challenges in the accounts module's table {@code device_nonces}, so that a device may answer on any
 * instance sharing the database; each put drops the expired ones. Thread-safe.
 */
public final class SqlDeviceNonces implements DeviceNonces {
    private final ModuleState state;
    private final InstantSource clock;

    public SqlDeviceNonces(ModuleState state, InstantSource clock) {
        this.state = state;
        this.clock = clock;
    }

    @Override
    public void put(String nonce, Pending pending) {
        state.write(h -> {
            h.execute("DELETE FROM device_nonces WHERE expires_at <= ?", clock.millis());
            return h.execute(
                    "INSERT INTO device_nonces (nonce, device_id, expires_at) VALUES (?, ?, ?)",
                    nonce,
                    pending.deviceId(),
                    pending.expiresAt().toEpochMilli());
        });
    }

    @Override
    public Optional<Pending> take(String nonce) {
        return state.write(h -> {
            Optional<Pending> pending = h.createQuery(
                            "SELECT device_id, expires_at FROM device_nonces WHERE nonce = :nonce")
                    .bind("nonce", nonce)
                    .map((rs, ctx) ->
                            new Pending(rs.getString("device_id"), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                    .findOne();
            // Of two instances taking it at once, only the one whose delete removed the row gets it.
            boolean taken = pending.isPresent() && h.execute("DELETE FROM device_nonces WHERE nonce = ?", nonce) == 1;
            return taken ? pending : Optional.empty();
        });
    }
}
