package io.connectorhub.core.store;

import io.connectorhub.core.Admission;
import io.connectorhub.core.Admission.State;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The inbox in SQLite. {@code owner} names this hub instance in leases; it must be stable across restarts of the
 * same instance (so {@link #releaseOwnLeases()} can take back what a crash left behind) and distinct between
 * instances sharing a database.
 */
public final class SqliteInbox implements Inbox {
    private final Store store;
    private final String owner;
    private final Clock clock;

    public SqliteInbox(Store store, String owner, Clock clock) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
    }

    @Override
    public Admission admit(InboundMessage message) {
        String payload = Codec.encode(message); // here, not on the store's one writer thread
        return store.write(h -> {
            int inserted = h.createUpdate(
                            "INSERT INTO inbox (channel, message_id, session_key, payload, state, received_at) "
                                    + "VALUES (:channel, :id, :session, :payload, 'pending', :now) "
                                    + "ON CONFLICT (channel, message_id) DO NOTHING")
                    .bind("channel", message.channel())
                    .bind("id", message.id())
                    .bind("session", message.sessionKey())
                    .bind("payload", payload)
                    .bind("now", clock.millis())
                    .execute();
            if (inserted == 1) return new Admission(State.PENDING, false, message);
            return h.createQuery("SELECT state, payload FROM inbox WHERE channel = :channel AND message_id = :id")
                    .bind("channel", message.channel())
                    .bind("id", message.id())
                    .map((rs, ctx) -> new Admission(
                            state(rs.getString("state")),
                            true,
                            Codec.decode(rs.getString("payload"), InboundMessage.class)))
                    .one();
        });
    }

    @Override
    public boolean claim(InboundMessage message, Duration lease) {
        long now = clock.millis();
        return store.write(h -> h.createUpdate(
                                "UPDATE inbox SET state = 'processing', owner = :owner, lease_until = :until "
                                        + "WHERE channel = :channel AND message_id = :id "
                                        + "AND (state = 'pending' OR (state = 'processing' AND lease_until < :now))")
                        .bind("owner", owner)
                        .bind("until", now + lease.toMillis())
                        .bind("now", now)
                        .bind("channel", message.channel())
                        .bind("id", message.id())
                        .execute())
                == 1;
    }

    @Override
    public void finish(InboundMessage message, State state) {
        store.write(h -> h.createUpdate(
                        "UPDATE inbox SET state = :state, completed_at = :now, owner = NULL, lease_until = NULL "
                                + "WHERE channel = :channel AND message_id = :id")
                .bind("state", state.name().toLowerCase(Locale.ROOT))
                .bind("now", clock.millis())
                .bind("channel", message.channel())
                .bind("id", message.id())
                .execute());
    }

    @Override
    public List<InboundMessage> unfinished(Duration olderThan, int limit) {
        return store.read(h -> h.createQuery("SELECT payload FROM inbox "
                        + "WHERE (state = 'pending' AND received_at <= :cutoff) "
                        + "OR (state = 'processing' AND lease_until < :now) "
                        + "ORDER BY received_at, rowid LIMIT :limit")
                .bind("now", clock.millis())
                .bind("cutoff", clock.millis() - olderThan.toMillis())
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), InboundMessage.class))
                .list());
    }

    /**
     * Returns to {@code pending} the messages this instance was processing when it last stopped (a crash or a
     * kill), so they are processed again. Call once at start-up, before anything is claimed.
     */
    public int releaseOwnLeases() {
        return store.write(h -> h.createUpdate("UPDATE inbox SET state = 'pending', owner = NULL, lease_until = NULL "
                        + "WHERE state = 'processing' AND owner = :owner")
                .bind("owner", owner)
                .execute());
    }

    /** Forgets finished messages older than {@code retention}; a redelivery after that would be handled again. */
    public int prune(Duration retention) {
        return store.write(
                h -> h.createUpdate("DELETE FROM inbox WHERE completed_at IS NOT NULL AND completed_at < :cutoff")
                        .bind("cutoff", clock.millis() - retention.toMillis())
                        .execute());
    }

    static State state(String stored) {
        return State.valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
