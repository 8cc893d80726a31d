package io.connectorhub.app.webhooks;

import io.connectorhub.app.webhooks.WebhookDeliveries.Delivery;
import io.connectorhub.core.ModuleState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The {@code hook_messages} table: each message posted to a hook, and the reply once there is one. Thread-safe. */
public final class HookMessages {
    private static final RowMapper<HookMessage> HOOK_MESSAGE = ConstructorMapper.of(HookMessage.class);

    public record HookMessage(
            String messageId,
            String hookId,
            String callbackUrl,
            String replyId,
            String reply,
            Instant createdAt,
            Instant repliedAt) {}

    private final ModuleState store;
    private final Clock clock;

    /** @param store the tables of the webhooks module, migrated */
    public HookMessages(ModuleState store, Clock clock) {
        this.store = store;
        this.clock = clock;
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

    public Optional<HookMessage> find(String messageId) {
        return store.read(h -> Rows.query(h, "SELECT * FROM hook_messages WHERE message_id = :id")
                .bind("id", messageId)
                .map(HOOK_MESSAGE)
                .findOne());
    }

    /** Stores the reply and, if the message has a callback, the delivery carrying it, in one transaction. */
    public void reply(String messageId, String replyId, String text, Delivery callback) {
        store.write(h -> {
            long now = clock.millis();
            h.createUpdate("UPDATE hook_messages SET reply_id = :rid, reply = :text, replied_at = :now "
                            + "WHERE message_id = :id")
                    .bind("rid", replyId)
                    .bind("text", text)
                    .bind("now", now)
                    .bind("id", messageId)
                    .execute();
            if (callback != null) WebhookDeliveries.insertOnce(h, callback, now);
            return null;
        });
    }

    /** Forgets answered messages older than {@code retention}. */
    public int prune(Duration retention) {
        long cutoff = clock.millis() - retention.toMillis();
        return store.write(h -> h.createUpdate("DELETE FROM hook_messages WHERE replied_at < :cutoff")
                .bind("cutoff", cutoff)
                .execute());
    }
}
