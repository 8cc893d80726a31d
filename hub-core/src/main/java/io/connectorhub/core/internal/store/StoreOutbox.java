package io.connectorhub.core.internal.store;

import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The outbox in the {@link Store}, SQLite or PostgreSQL; rows are written by {@link StoreSessions#completeTurn} or {@link #enqueue}. */
public final class StoreOutbox implements Outbox {
    private final Store store;
    private final Clock clock;

    public StoreOutbox(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Queues a message nobody asked for (a notification); publish it to the bus after this returns. */
    public void enqueue(OutboundMessage message) {
        String payload = Codec.encode(message);
        store.write(h -> {
            insert(h, message, payload, clock.millis());
            return null;
        });
    }

    /** {@code payload} is {@code message} encoded, outside the write so the store's writer thread does not. */
    static void insert(Handle h, OutboundMessage message, String payload, long now) {
        h.createUpdate("INSERT INTO outbox (id, channel, chat_id, in_reply_to, payload, state, created_at) "
                        + "VALUES (:id, :channel, :chat, :inReplyTo, :payload, 'pending', :now) "
                        + "ON CONFLICT (id) DO NOTHING")
                .bind("id", message.id())
                .bind("channel", message.channel())
                .bind("chat", message.chatId())
                .bind("inReplyTo", message.inReplyTo())
                .bind("payload", payload)
                .bind("now", now)
                .execute();
    }

    @Override
    public List<OutboundMessage> unsent(int limit) {
        return store.read(h -> h.createQuery(
                        "SELECT payload FROM outbox WHERE state = 'pending' ORDER BY created_at, rowid LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                .list());
    }

    @Override
    public Optional<OutboundMessage> replyTo(String channel, String inboundId) {
        return store.read(
                h -> h.createQuery("SELECT payload FROM outbox WHERE channel = :channel AND in_reply_to = :id "
                                + "ORDER BY created_at LIMIT 1")
                        .bind("channel", channel)
                        .bind("id", inboundId)
                        .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                        .findOne());
    }

    @Override
    public void markSent(String messageId) {
        mark(messageId, "sent", null);
    }

    @Override
    public void markFailed(String messageId, String error) {
        mark(messageId, "failed", error);
    }

    @Override
    public boolean expire(String messageId, Duration olderThan) {
        long now = clock.millis();
        return store.write(h -> h.createUpdate(EXPIRE + " AND id = :id")
                        .bind("now", now)
                        .bind("cutoff", now - olderThan.toMillis())
                        .bind("id", messageId)
                        .execute())
                == 1;
    }

    /**
     * Marks {@code expired} every unsent message stored more than {@code olderThan} ago, so it is never sent; such
     * rows are kept and pruned like sent ones. Returns their ids per channel.
     */
    public Map<String, List<String>> expire(Duration olderThan) {
        long now = clock.millis();
        return store.write(h -> h.createQuery(EXPIRE + " RETURNING channel, id")
                .bind("now", now)
                .bind("cutoff", now - olderThan.toMillis())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList()))));
    }

    private static final String EXPIRE =
            "UPDATE outbox SET state = 'expired', done_at = :now WHERE state = 'pending' AND created_at < :cutoff";

    /** Forgets sent and expired messages older than {@code retention}; failed ones are kept for inspection. */
    public int prune(Duration retention) {
        return store.write(
                h -> h.createUpdate("DELETE FROM outbox WHERE state IN ('sent', 'expired') AND done_at < :cutoff")
                        .bind("cutoff", clock.millis() - retention.toMillis())
                        .execute());
    }

    private void mark(String id, String state, String error) {
        store.write(h -> h.createUpdate("UPDATE outbox SET state = :state, last_error = :error, done_at = :now "
                        + "WHERE id = :id AND state = 'pending'")
                .bind("state", state)
                .bind("error", error)
                .bind("now", clock.millis())
                .bind("id", id)
                .execute());
    }
}
