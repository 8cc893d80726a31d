package io.connectorhub.core.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The hub instances sharing the {@link Store}, one row each ({@code instances}): every instance writes its heartbeat
 * with {@link #beat}; one whose last heartbeat is older than {@code deadAfter} is dead, and {@link StoreInbox#takeOver}
 * takes back the messages it held. Times are this instance's clock, so the instances' clocks must agree (NTP).
 * Thread-safe.
 */
public final class Instances {
    private final Store store;
    private final Clock clock;

    /** The depth of an instance's queues when it last beat. */
    public record Queues(int inbound, int outbound) {}

    /** One instance as its last heartbeat left it. */
    public record Instance(String id, Instant startedAt, Instant lastSeen, Queues queues) {}

    public Instances(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records that instance {@code id}, started at {@code startedAt}, is alive now with {@code queues}. */
    public void beat(String id, Instant startedAt, Queues queues) {
        store.write(h -> h.createUpdate("INSERT INTO instances (id, started_at, last_seen, queues) "
                        + "VALUES (:id, :started, :now, :queues) "
                        + "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, queues = excluded.queues, "
                        + "started_at = excluded.started_at")
                .bind("id", id)
                .bind("started", startedAt.toEpochMilli())
                .bind("now", clock.millis())
                .bind("queues", Codec.encode(queues))
                .execute());
    }

    /** Removes instance {@code id} (a clean stop): what it held is taken over by the others' next heartbeat. */
    public void remove(String id) {
        store.write(h -> h.createUpdate("DELETE FROM instances WHERE id = :id")
                .bind("id", id)
                .execute());
    }

    /** Forgets the instances that have not beaten for {@code deadAfter}; returns their ids. */
    public List<String> forgetDead(Duration deadAfter) {
        return store.write(h -> h.createQuery("DELETE FROM instances WHERE last_seen < :cutoff RETURNING id")
                .bind("cutoff", clock.millis() - deadAfter.toMillis())
                .mapTo(String.class)
                .list());
    }

    /** Every instance that beat and has not been forgotten, oldest first. */
    public List<Instance> list() {
        return store.read(h -> h.createQuery(
                        "SELECT id, started_at, last_seen, queues FROM instances ORDER BY started_at, id")
                .map((rs, ctx) -> new Instance(
                        rs.getString(1),
                        Instant.ofEpochMilli(rs.getLong(2)),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        Codec.decode(rs.getString(4), Queues.class)))
                .list());
    }
}
