package io.connectorhub.app.webhooks;

import io.connectorhub.core.ModuleState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The {@code webhook_endpoints} table: where hub events are delivered. Thread-safe. */
public final class WebhookEndpoints {
    private static final RowMapper<Endpoint> ENDPOINT = ConstructorMapper.of(Endpoint.class);

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

    private final ModuleState store;
    private final Clock clock;

    /** @param store the tables of the webhooks module, migrated */
    public WebhookEndpoints(ModuleState store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void insert(Endpoint e) {
        store.write(h -> h.createUpdate(
                        "INSERT INTO webhook_endpoints (id, url, description, events, enabled, secret, created_at, "
                                + "updated_at) VALUES (:id, :url, :description, :events, 1, :secret, :now, :now)")
                .bind("id", e.id())
                .bind("url", e.url())
                .bind("description", e.description())
                .bind("events", Rows.json(e.events()))
                .bind("secret", e.secret())
                .bind("now", clock.millis())
                .execute());
    }

    public List<Endpoint> list() {
        return store.read(h -> Rows.query(h, "SELECT * FROM webhook_endpoints ORDER BY created_at, id")
                .map(ENDPOINT)
                .list());
    }

    public Optional<Endpoint> find(String id) {
        return store.read(h -> Rows.query(h, "SELECT * FROM webhook_endpoints WHERE id = :id")
                .bind("id", id)
                .map(ENDPOINT)
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
                        .bind("events", Rows.json(events))
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
            return WebhookDeliveries.failPending(h, "endpoint_id", id, "endpoint disabled: " + reason, now);
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

    /** Deletes an endpoint and gives up its pending deliveries; false if there was none. */
    public boolean delete(String id) {
        return store.write(h -> {
            WebhookDeliveries.failPending(h, "endpoint_id", id, "endpoint deleted", clock.millis());
            return h.createUpdate("DELETE FROM webhook_endpoints WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    > 0;
        });
    }
}
