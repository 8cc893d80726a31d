package io.connectorhub.app.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.Json;
import io.connectorhub.core.ModuleState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The webhook tables (endpoints, hooks, hook messages, deliveries and their attempts): the module {@link #MODULE}, whose
 * scripts are under {@code db/webhooks/}.
 */
public final class WebhookStore {
    private static final ObjectMapper JSON = Json.newMapper();

    /** A registered endpoint. {@link #toString()} leaves the secrets out. */
    public record Endpoint(
            String id,
            String url,
            String description,
            List<String> events,
            boolean enabled,
            String disabledReason,
            String secret,
            String previousSecret,
            Instant previousUntil,
            Instant failingSince,
            Instant createdAt,
            Instant updatedAt) {
        public Endpoint {
            events = List.copyOf(events);
        }

        public boolean wants(String eventType) {
            return enabled && (events.contains("*") || events.contains(eventType));
        }

        /** The secrets that sign at {@code now}: the current one, and the previous one during its grace. */
        public List<String> signingSecrets(Instant now) {
            if (previousSecret != null && previousUntil != null && now.isBefore(previousUntil))
                return List.of(secret, previousSecret);
            return List.of(secret);
        }

        @Override
        public String toString() {
            return "Endpoint[id=" + id + ", url=" + url + ", enabled=" + enabled + "]";
        }
    }

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

    /** An inbound hook; the token is kept as its hash only. */
    public record Hook(String id, String description, String tokenHash, String secret, Instant createdAt) {
        @Override
        public String toString() {
            return "Hook[id=" + id + "]";
        }
    }

    public record HookMessage(
            String messageId,
            String hookId,
            String callbackUrl,
            String replyId,
            String reply,
            Instant createdAt,
            Instant repliedAt) {}

    /** The module whose migration scripts create these tables. */
    public static final String MODULE = "webhooks";

    private final ModuleState store;
    private final Clock clock;

    /** @param store the tables of {@link #MODULE}, migrated */
    public WebhookStore(ModuleState store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    // Endpoints

    public void insert(Endpoint e) {
        store.write(h -> h.createUpdate(
                        "INSERT INTO webhook_endpoints (id, url, description, events, enabled, secret, created_at, "
                                + "updated_at) VALUES (:id, :url, :description, :events, 1, :secret, :now, :now)")
                .bind("id", e.id())
                .bind("url", e.url())
                .bind("description", e.description())
                .bind("events", json(e.events()))
                .bind("secret", e.secret())
                .bind("now", clock.millis())
                .execute());
    }

    public List<Endpoint> endpoints() {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_endpoints ORDER BY created_at, id")
                .map((rs, ctx) -> endpoint(rs))
                .list());
    }

    public Optional<Endpoint> endpoint(String id) {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_endpoints WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> endpoint(rs))
                .findOne());
    }

    /** Changes what is not null; enabling clears the reason and the failure streak. True if the endpoint exists. */
    public boolean update(String id, Boolean enabled, List<String> events, String description) {
        return store.write(h -> {
            int n = 0;
            long now = clock.millis();
            if (enabled != null)
                n += h.createUpdate("UPDATE webhook_endpoints SET enabled = :on, disabled_reason = "
                                + "CASE WHEN :on = 1 THEN NULL ELSE 'disabled by an admin' END, failing_since = "
                                + "NULL, updated_at = :now WHERE id = :id")
                        .bind("on", enabled ? 1 : 0) // 0/1, as SQLite keeps booleans
                        .bind("now", now)
                        .bind("id", id)
                        .execute();
            if (events != null)
                n += h.createUpdate("UPDATE webhook_endpoints SET events = :events, updated_at = :now WHERE id = :id")
                        .bind("events", json(events))
                        .bind("now", now)
                        .bind("id", id)
                        .execute();
            if (description != null)
                n += h.createUpdate(
                                "UPDATE webhook_endpoints SET description = :d, updated_at = :now " + "WHERE id = :id")
                        .bind("d", description)
                        .bind("now", now)
                        .bind("id", id)
                        .execute();
            return n > 0
                    || h.createQuery("SELECT 1 FROM webhook_endpoints WHERE id = :id")
                            .bind("id", id)
                            .mapTo(Integer.class)
                            .findOne()
                            .isPresent();
        });
    }

    public boolean rotate(String id, String newSecret, Instant previousUntil) {
        return store.write(h -> h.createUpdate("UPDATE webhook_endpoints SET previous_secret = secret, "
                                + "previous_until = :until, secret = :secret, updated_at = :now WHERE id = :id")
                        .bind("until", previousUntil.toEpochMilli())
                        .bind("secret", newSecret)
                        .bind("now", clock.millis())
                        .bind("id", id)
                        .execute())
                > 0;
    }

    /** Disables an endpoint and gives up its pending deliveries. */
    public void disable(String id, String reason) {
        store.write(h -> {
            long now = clock.millis();
            h.createUpdate("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = :reason, updated_at = :now "
                            + "WHERE id = :id")
                    .bind("reason", reason)
                    .bind("now", now)
                    .bind("id", id)
                    .execute();
            return failPending(h, "endpoint_id", id, "endpoint disabled: " + reason, now);
        });
    }

    /** Records the first failure since the last success; returns when the streak began. */
    public Instant failingSince(String id, Instant now) {
        return store.write(h -> {
            h.createUpdate("UPDATE webhook_endpoints SET failing_since = :now WHERE id = :id AND failing_since IS NULL")
                    .bind("now", now.toEpochMilli())
                    .bind("id", id)
                    .execute();
            return h.createQuery("SELECT failing_since FROM webhook_endpoints WHERE id = :id")
                    .bind("id", id)
                    .mapTo(Long.class)
                    .findOne()
                    .map(Instant::ofEpochMilli)
                    .orElse(now);
        });
    }

    public void succeeded(String endpointId) {
        store.write(h -> h.createUpdate(
                        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL")
                .bind("id", endpointId)
                .execute());
    }

    public boolean deleteEndpoint(String id) {
        return store.write(h -> {
            failPending(h, "endpoint_id", id, "endpoint deleted", clock.millis());
            return h.createUpdate("DELETE FROM webhook_endpoints WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    > 0;
        });
    }

    // Deliveries

    /** Writes a pending delivery, due at once; the worker sends it. */
    /** Queues {@code deliveries} in one write. */
    public void enqueue(List<Delivery> deliveries) {
        store.write(h -> {
            for (Delivery d : deliveries) insertDelivery(h, d);
            return null;
        });
    }

    private void insertDelivery(Handle h, Delivery d) {
        h.createUpdate("INSERT INTO webhook_deliveries (id, endpoint_id, hook_id, url, event_type, payload, state, "
                        + "next_attempt_at, created_at) VALUES (:id, :endpoint, :hook, :url, :type, :payload, "
                        + "'pending', :now, :now)")
                .bind("id", d.id())
                .bind("endpoint", d.endpointId())
                .bind("hook", d.hookId())
                .bind("url", d.url())
                .bind("type", d.eventType())
                .bind("payload", d.payload())
                .bind("now", clock.millis())
                .execute();
    }

    /** Pending deliveries due at {@code now}, oldest first. */
    public List<Delivery> due(Instant now, int limit) {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_deliveries WHERE state = 'pending' AND "
                        + "next_attempt_at <= :now ORDER BY next_attempt_at, created_at LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> delivery(rs))
                .list());
    }

    public Optional<Delivery> delivery(String id) {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_deliveries WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> delivery(rs))
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
    private static int failPending(Handle h, String column, String id, String reason, long now) {
        return h.createUpdate("UPDATE webhook_deliveries SET state = 'failed', last_error = :reason, "
                        + "next_attempt_at = NULL, done_at = :now WHERE " + column + " = :id AND state = 'pending'")
                .bind("reason", reason)
                .bind("now", now)
                .bind("id", id)
                .execute();
    }

    public List<Delivery> deliveries(String endpointId, int limit) {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_deliveries WHERE endpoint_id = :id "
                        + "ORDER BY created_at DESC, rowid DESC LIMIT :limit")
                .bind("id", endpointId)
                .bind("limit", limit)
                .map((rs, ctx) -> delivery(rs))
                .list());
    }

    public List<Attempt> attempts(String deliveryId) {
        return store.read(h -> h.createQuery("SELECT * FROM webhook_attempts WHERE delivery_id = :id ORDER BY attempt")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new Attempt(
                        rs.getInt("attempt"),
                        Instant.ofEpochMilli(rs.getLong("at")),
                        (Integer) rs.getObject("status"),
                        rs.getString("error"),
                        rs.getLong("duration_ms")))
                .list());
    }

    // Hooks

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

    public List<Hook> hooks() {
        return store.read(h -> h.createQuery("SELECT * FROM hooks ORDER BY created_at, id")
                .map((rs, ctx) -> hook(rs))
                .list());
    }

    public Optional<Hook> hook(String id) {
        return store.read(h -> h.createQuery("SELECT * FROM hooks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> hook(rs))
                .findOne());
    }

    public boolean deleteHook(String id) {
        return store.write(h -> h.createUpdate("DELETE FROM hooks WHERE id = :id")
                        .bind("id", id)
                        .execute()
                > 0);
    }

    /** Remembers a hook message (once; a repeat keeps the first callback). */
    public void insert(HookMessage m) {
        store.write(h -> h.createUpdate("INSERT INTO hook_messages (message_id, hook_id, callback_url, created_at) "
                        + "VALUES (:id, :hook, :callback, :now) ON CONFLICT DO NOTHING")
                .bind("id", m.messageId())
                .bind("hook", m.hookId())
                .bind("callback", m.callbackUrl())
                .bind("now", clock.millis())
                .execute());
    }

    public Optional<HookMessage> hookMessage(String messageId) {
        return store.read(h -> h.createQuery("SELECT * FROM hook_messages WHERE message_id = :id")
                .bind("id", messageId)
                .map((rs, ctx) -> new HookMessage(
                        rs.getString("message_id"),
                        rs.getString("hook_id"),
                        rs.getString("callback_url"),
                        rs.getString("reply_id"),
                        rs.getString("reply"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        instant(rs, "replied_at")))
                .findOne());
    }

    /** Stores the reply and, if the message has a callback, the delivery carrying it, in one transaction. */
    public void reply(String messageId, String replyId, String text, Delivery callback) {
        store.write(h -> {
            h.createUpdate("UPDATE hook_messages SET reply_id = :rid, reply = :text, replied_at = :now "
                            + "WHERE message_id = :id")
                    .bind("rid", replyId)
                    .bind("text", text)
                    .bind("now", clock.millis())
                    .bind("id", messageId)
                    .execute();
            if (callback != null
                    && h.createQuery("SELECT 1 FROM webhook_deliveries WHERE id = :id")
                            .bind("id", callback.id())
                            .mapTo(Integer.class)
                            .findOne()
                            .isEmpty()) insertDelivery(h, callback);
            return null;
        });
    }

    /** Forgets finished deliveries (and their attempts) and answered hook messages older than {@code retention}. */
    public int prune(java.time.Duration retention) {
        long cutoff = clock.millis() - retention.toMillis();
        return store.write(h -> {
            h.createUpdate("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries "
                            + "WHERE state != 'pending' AND done_at < :cutoff)")
                    .bind("cutoff", cutoff)
                    .execute();
            h.createUpdate("DELETE FROM hook_messages WHERE replied_at < :cutoff")
                    .bind("cutoff", cutoff)
                    .execute();
            return h.createUpdate("DELETE FROM webhook_deliveries WHERE state != 'pending' AND done_at < :cutoff")
                    .bind("cutoff", cutoff)
                    .execute();
        });
    }

    // Mapping

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        List<String> events;
        try {
            events = JSON.readValue(rs.getString("events"), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("webhook_endpoints.events of " + rs.getString("id") + " is not a JSON list", e);
        }
        return new Endpoint(
                rs.getString("id"),
                rs.getString("url"),
                rs.getString("description"),
                events,
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                rs.getString("secret"),
                rs.getString("previous_secret"),
                instant(rs, "previous_until"),
                instant(rs, "failing_since"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(
                rs.getString("id"),
                rs.getString("endpoint_id"),
                rs.getString("hook_id"),
                rs.getString("url"),
                rs.getString("event_type"),
                rs.getString("payload"),
                rs.getString("state"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status"),
                rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "done_at"));
    }

    private static Hook hook(ResultSet rs) throws SQLException {
        return new Hook(
                rs.getString("id"),
                rs.getString("description"),
                rs.getString("token_hash"),
                rs.getString("secret"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
