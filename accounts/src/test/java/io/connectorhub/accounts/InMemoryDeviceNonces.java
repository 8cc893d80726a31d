package io.connectorhub.accounts;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Pending device challenges in memory, at most {@code capacity}: when full, the expired ones go, then the oldest. */
final class InMemoryDeviceNonces implements DeviceNonces {
    private final int capacity;
    private final InstantSource clock;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    InMemoryDeviceNonces(int capacity, InstantSource clock) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public synchronized void put(String nonce, Pending challenge) {
        if (pending.size() >= capacity) dropExpired(clock.instant());
        if (pending.size() >= capacity) pending.pollFirstEntry();
        pending.put(nonce, challenge);
    }

    @Override
    public synchronized Optional<Pending> take(String nonce) {
        return Optional.ofNullable(pending.remove(nonce));
    }

    private void dropExpired(Instant now) {
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            if (!it.next().getValue().expiresAt().isAfter(now)) it.remove();
        }
    }
}
