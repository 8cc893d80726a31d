package io.connectorhub.app.webhooks;

import io.connectorhub.core.ModuleState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * The {@code webhook_deliveries} table, the outbox of events and hook replies to send, with each delivery's attempts
 * ({@code webhook_attempts}). Thread-safe.
 */
public final class WebhookDeliveries {
    /** The module whose migration scripts ({@code db/webhooks/}) create this table and the other webhook tables. */
    public static final String MODULE = "webhooks";

    private static final RowMapper<Delivery> DELIVERY = ConstructorMapper.of(Delivery.class);
    private static final RowMapper<Attempt> ATTEMPT = ConstructorMapper.of(Attempt.class);

    public record Delivery(
            String id,
            String endpointId,
            String hookId,
            String url,
            String eventType,
            String payload,
            String state,
            int attempts,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant doneAt) {

        /** A delivery not attempted yet, to an endpoint ({@code endpointId}) or a hook's callback ({@code hookId}). */
        static Delivery pending(
                String id, String endpointId, String hookId, String url, String eventType, String payload) {
            return new Delivery(
                    id, endpointId, hookId, url, eventType, payload, "pending", 0, null, null, null, null, null);
        }
    }

    public record Attempt(int attempt, Instant at, Integer status, String error, long durationMs) {}

    private final ModuleState store;
    private final Clock clock;

    /** @param store the tables of the webhooks module, migrated */
    public WebhookDeliveries(ModuleState store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Queues {@code deliveries}, due at once, in one write; the worker sends them. */
    public void enqueue(List<Delivery> deliveries) {
        store.write(h -> {
            for (Delivery d : deliveries) insert(h, d, clock.millis());
            return null;
        });
    }

    /** Queues {@code d}, due at once, inside the caller's write, unless a delivery with its id exists. */
    static void insertOnce(Handle h, Delivery d, long now) {
        boolean exists = h.createQuery("SELECT 1 FROM webhook_deliveries WHERE id = :id")
                .bind("id", d.id())
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
        if (!exists) insert(h, d, now);
    }

    private static void insert(Handle h, Delivery d, long now) {
        h.createUpdate("INSERT INTO webhook_deliveries (id, endpoint_id, hook_id, url, event_type, payload, state, "
                        + "next_attempt_at, created_at) VALUES (:id, :endpoint, :hook, :url, :type, :payload, "
                        + "'pending', :now, :now)")
                .bind("id", d.id())
                .bind("endpoint", d.endpointId())
                .bind("hook", d.hookId())
                .bind("url", d.url())
                .bind("type", d.eventType())
                .bind("payload", d.payload())
                .bind("now", now)
                .execute();
    }

    /** Pending deliveries due at {@code now}, oldest first. */
    public List<Delivery> due(Instant now, int limit) {
        return store.read(h -> Rows.query(
                        h,
                        "SELECT * FROM webhook_deliveries WHERE state = 'pending' AND "
                                + "next_attempt_at <= :now ORDER BY next_attempt_at, created_at LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map(DELIVERY)
                .list());
    }

    public Optional<Delivery> find(String id) {
        return store.read(h -> Rows.query(h, "SELECT * FROM webhook_deliveries WHERE id = :id")
                .bind("id", id)
                .map(DELIVERY)
                .findOne());
    }

    public int pending() {
        return store.read(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'")
                .mapTo(Integer.class)
                .one());
    }

    /**
     * Records one attempt and the delivery's new state: {@code nextAttempt} non-null keeps it pending until then,
     * else it ends as {@code delivered} or {@code failed}.
     */
    public void recordAttempt(Delivery d, Attempt a, String endState, Instant nextAttempt) {
        store.write(h -> {
            h.createUpdate("INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error, duration_ms) "
                            + "VALUES (:id, :n, :at, :status, :error, :ms) ON CONFLICT DO NOTHING")
                    .bind("id", d.id())
                    .bind("n", a.attempt())
                    .bind("at", a.at().toEpochMilli())
                    .bind("status", a.status())
                    .bind("error", a.error())
                    .bind("ms", a.durationMs())
                    .execute();
            return h.createUpdate("UPDATE webhook_deliveries SET attempts = :n, last_status = :status, last_error = "
                            + ":error, state = :state, next_attempt_at = :next, done_at = :done "
                            + "WHERE id = :id AND state = 'pending'") // a disable meanwhile has the last word
                    .bind("n", a.attempt())
                    .bind("status", a.status())
                    .bind("error", a.error())
                    .bind("state", nextAttempt != null ? "pending" : endState)
                    .bind("next", nextAttempt == null ? null : nextAttempt.toEpochMilli())
                    .bind("done", nextAttempt != null ? null : a.at().toEpochMilli())
                    .bind("id", d.id())
                    .execute();
        });
    }

    /** Gives up a delivery without an attempt (its endpoint or hook is gone or disabled). */
    public void abandon(String deliveryId, String reason) {
        store.write(h -> failPending(h, "id", deliveryId, reason, clock.millis()));
    }

    /** Fails the pending deliveries whose {@code column} ({@code id} or {@code endpoint_id}) is {@code id}. */
    static int failPending(Handle h, String column, String id, String reason, long now) {
        return h.createUpdate("UPDATE webhook_deliveries SET state = 'failed', last_error = :reason, "
                        + "next_attempt_at = NULL, done_at = :now WHERE " + column + " = :id AND state = 'pending'")
                .bind("reason", reason)
                .bind("now", now)
                .bind("id", id)
                .execute();
    }

    /** The deliveries to an endpoint, newest first. */
    public List<Delivery> toEndpoint(String endpointId, int limit) {
        return store.read(h -> Rows.query(
                        h,
                        "SELECT * FROM webhook_deliveries WHERE endpoint_id = :id "
                                + "ORDER BY created_at DESC, rowid DESC LIMIT :limit")
                .bind("id", endpointId)
                .bind("limit", limit)
                .map(DELIVERY)
                .list());
    }

    public List<Attempt> attempts(String deliveryId) {
        return store.read(h -> Rows.query(h, "SELECT * FROM webhook_attempts WHERE delivery_id = :id ORDER BY attempt")
                .bind("id", deliveryId)
                .map(ATTEMPT)
                .list());
    }

    /** Forgets finished deliveries, and their attempts, older than {@code retention}. */
    public int prune(Duration retention) {
        long cutoff = clock.millis() - retention.toMillis();
        return store.write(h -> {
            h.createUpdate("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries "
                            + "WHERE state != 'pending' AND done_at < :cutoff)")
                    .bind("cutoff", cutoff)
                    .execute();
            return h.createUpdate("DELETE FROM webhook_deliveries WHERE state != 'pending' AND done_at < :cutoff")
                    .bind("cutoff", cutoff)
                    .execute();
        });
    }
}
