package io.connectorhub.core.internal.store;

import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * The outbox in the {@link Store}, SQLite or PostgreSQL; rows are written by {@link StoreSessions#completeTurn} or
 * {@link #enqueue}. An unsent row is held by the instance that is to send it ({@code owner}): the one that stored it,
 * until that instance stops beating or gives its rows back on a clean stop ({@link #release}); then one other instance
 * takes it ({@link #takeOver}, {@link #take}), so a reply is sent by one instance at a time.
 */
public final class StoreOutbox implements Outbox {
    /**
     * The PostgreSQL channel on which an instance names the unsent replies it gave back for the others: all it held,
     * at a clean stop, or one it cannot send.
     */
    public static final String WAKE_CHANNEL = "hub_outbox";

    private final Store store;
    private final String owner;
    private final Clock clock;

    /** @param owner this instance's id, as in {@link StoreInbox} */
    public StoreOutbox(Store store, String owner, Clock clock) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
    }

    /** Queues a message nobody asked for (a notification), held by this instance; publish it to the bus after this returns. */
    public void enqueue(OutboundMessage message) {
        String payload = Codec.encode(message);
        store.write(h -> bindRow(
                        h.createUpdate(INSERT + ":owner) ON CONFLICT (id) DO NOTHING"),
                        message,
                        payload,
                        clock.millis())
                .bind("owner", owner)
                .execute());
    }

    private static final String INSERT =
            "INSERT INTO outbox (id, channel, chat_id, in_reply_to, payload, state, created_at, owner) "
                    + "VALUES (:id, :channel, :chat, :inReplyTo, :payload, 'pending', :now, ";

    /**
     * Stores {@code message}, the reply to {@code in}, held by the instance that holds {@code in} in the inbox (the
     * one answering it). {@code payload} is {@code message} encoded, outside the write so the store's writer thread
     * does not.
     */
    static void insertReply(Handle h, InboundMessage in, OutboundMessage message, String payload, long now) {
        bindRow(
                        h.createUpdate(INSERT + "(SELECT owner FROM inbox WHERE channel = :inChannel "
                                + "AND message_id = :inId)) ON CONFLICT (id) DO NOTHING"),
                        message,
                        payload,
                        now)
                .bind("inChannel", in.channel())
                .bind("inId", in.id())
                .execute();
    }

    private static Update bindRow(Update insert, OutboundMessage message, String payload, long now) {
        return insert.bind("id", message.id())
                .bind("channel", message.channel())
                .bind("chat", message.chatId())
                .bind("inReplyTo", message.inReplyTo())
                .bind("payload", payload)
                .bind("now", now);
    }

    @Override
    public List<OutboundMessage> unsent(int limit) {
        return store.read(h -> h.createQuery(
                        "SELECT payload FROM outbox WHERE state = 'pending' ORDER BY created_at, rowid LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                .list());
    }

    /** The unsent replies this instance holds (left by its last run when called at start-up), oldest first. */
    public List<OutboundMessage> held() {
        return store.read(h -> h.createQuery("SELECT payload FROM outbox WHERE state = 'pending' AND owner = :owner "
                        + "ORDER BY created_at, rowid")
                .bind("owner", owner)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                .list());
    }

    /**
     * Takes for this instance, and returns oldest first, the unsent replies nobody alive holds: those given back on a
     * clean stop or by an instance that cannot send them ({@link #giveBack}) or stored before replies had an owner,
     * and those of instances that stopped beating for {@code deadAfter} (see {@link Instances}); never those of the
     * channels in {@code skip}, which this instance cannot send now. On PostgreSQL two instances taking over at once
     * take each row once: the second waits for the first's row lock, and then the row no longer matches.
     */
    public List<OutboundMessage> takeOver(Duration deadAfter, Set<String> skip) {
        record Taken(OutboundMessage message, long createdAt, long rowid) {}
        return store
                .write(h -> bindSkip(
                                h.createQuery(
                                        "UPDATE outbox SET owner = :owner WHERE state = 'pending' AND (owner IS NULL "
                                                + "OR (owner <> :owner AND owner NOT IN "
                                                + "(SELECT id FROM instances WHERE last_seen >= :cutoff)))"
                                                + skipping(skip)
                                                + " RETURNING payload, created_at, rowid"),
                                skip)
                        .bind("owner", owner)
                        .bind("cutoff", clock.millis() - deadAfter.toMillis())
                        .map((rs, ctx) -> new Taken(
                                Codec.decode(rs.getString(1), OutboundMessage.class), rs.getLong(2), rs.getLong(3)))
                        .list())
                .stream()
                .sorted(Comparator.comparingLong(Taken::createdAt).thenComparingLong(Taken::rowid))
                .map(Taken::message)
                .toList();
    }

    /**
     * Takes the unsent reply {@code id} for this instance if nobody holds it (a wake-up named it) and its channel is not
     * in {@code skip}.
     */
    public Optional<OutboundMessage> take(String id, Set<String> skip) {
        return store.write(h -> bindSkip(
                        h.createQuery("UPDATE outbox SET owner = :owner "
                                + "WHERE id = :id AND state = 'pending' AND owner IS NULL" + skipping(skip)
                                + " RETURNING payload"),
                        skip)
                .bind("owner", owner)
                .bind("id", id)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                .findOne());
    }

    private static String skipping(Set<String> skip) {
        return skip.isEmpty() ? "" : " AND channel NOT IN (<skip>)";
    }

    private static Query bindSkip(Query query, Set<String> skip) {
        return skip.isEmpty() ? query : query.bindList("skip", List.copyOf(skip));
    }

    /**
     * Gives back the unsent reply {@code id}, which this instance holds but cannot send (its channel sends over a
     * connection another instance holds), and on PostgreSQL names it on {@link #WAKE_CHANNEL} as {@link #release}
     * does, so the instance that can send it takes it. Returns false if this instance did not hold it.
     */
    public boolean giveBack(String id) {
        return giveBack(" AND id = :id", q -> q.bind("id", id)) == 1;
    }

    /**
     * Gives back the unsent replies this instance holds (call on a clean stop, once its channels stopped), and on
     * PostgreSQL names each on {@link #WAKE_CHANNEL} ({@code <instance> <reply id>}, ids only) so another instance
     * takes it at once. Returns how many.
     */
    public int release() {
        return giveBack("", q -> q);
    }

    /**
     * Clears the owner of the unsent replies this instance holds that {@code where} (more conditions, bound by
     * {@code bind}) selects, and on PostgreSQL names each on {@link #WAKE_CHANNEL}; returns how many.
     */
    private int giveBack(String where, UnaryOperator<Query> bind) {
        return store.write(h -> {
            List<String> ids = bind.apply(h.createQuery("UPDATE outbox SET owner = NULL "
                                    + "WHERE state = 'pending' AND owner = :owner" + where + " RETURNING id")
                            .bind("owner", owner))
                    .mapTo(String.class)
                    .list();
            if (store.dialect().equals("postgresql"))
                for (String id : ids) PostgresStore.notify(h, WAKE_CHANNEL, owner + " " + id);
            return ids.size();
        });
    }

    /** The stored message {@code id}, whatever its state. */
    public Optional<OutboundMessage> find(String id) {
        return store.read(h -> h.createQuery("SELECT payload FROM outbox WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> Codec.decode(rs.getString(1), OutboundMessage.class))
                .findOne());
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
