package io.connectorhub.core.internal.store;

import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.SessionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Sessions and history in the {@link Store}, SQLite or PostgreSQL. */
public final class StoreSessions implements SessionStore {
    private final Store store;
    private final Clock clock;

    public StoreSessions(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<ChatMessage> history(String sessionKey, int limit) {
        return store.read(h -> history(h, sessionKey, Long.MAX_VALUE, limit));
    }

    @Override
    public Optional<List<ChatMessage>> historyBefore(String sessionKey, String beforeId, int limit) {
        return store.read(h -> h.createQuery("SELECT seq FROM messages WHERE id = :id AND session_key = :key")
                .bind("id", beforeId)
                .bind("key", sessionKey)
                .mapTo(Long.class)
                .findOne()
                .map(seq -> history(h, sessionKey, seq, limit)));
    }

    /** The last {@code limit} messages of a session numbered below {@code beforeSeq}, oldest first. */
    private static List<ChatMessage> history(Handle h, String sessionKey, long beforeSeq, int limit) {
        List<ChatMessage> newestFirst = h.createQuery("SELECT id, role, content, sender_id, created_at FROM messages "
                        + "WHERE session_key = :key AND seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("key", sessionKey)
                .bind("before", beforeSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> new ChatMessage(
                        rs.getString(1),
                        sessionKey,
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5))))
                .list();
        List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Override
    public Optional<SessionInfo> get(String sessionKey) {
        return store.read(h -> h.createQuery("SELECT * FROM sessions WHERE session_key = :key")
                .bind("key", sessionKey)
                .map((rs, ctx) -> info(rs))
                .findOne());
    }

    @Override
    public void completeTurn(InboundMessage in, OutboundMessage reply, boolean keepInHistory) {
        long now = clock.millis();
        String payload = Codec.encode(reply);
        store.write(h -> {
            if (keepInHistory) {
                touchSession(h, in, now, 2);
                insertMessage(
                        h,
                        in.channel() + ":" + in.id(),
                        in.sessionKey(),
                        ChatMessage.USER,
                        in.content(),
                        in.senderId(),
                        now);
                insertMessage(h, reply.id(), in.sessionKey(), ChatMessage.ASSISTANT, reply.content(), null, now);
            } else {
                touchSession(h, in, now, 0);
            }
            StoreOutbox.insertReply(h, in, reply, payload, now);
            h.createUpdate("UPDATE inbox SET state = 'done', completed_at = :now, owner = NULL, lease_until = NULL "
                            + "WHERE channel = :channel AND message_id = :id")
                    .bind("now", now)
                    .bind("channel", in.channel())
                    .bind("id", in.id())
                    .execute();
            return null;
        });
    }

    private static void touchSession(Handle h, InboundMessage in, long now, int added) {
        h.createUpdate(
                        "INSERT INTO sessions (session_key, channel, chat_id, message_count, created_at, updated_at) "
                                + "VALUES (:key, :channel, :chat, :added, :now, :now) "
                                + "ON CONFLICT (session_key) DO UPDATE SET message_count = sessions.message_count + :added, updated_at = :now")
                .bind("key", in.sessionKey())
                .bind("channel", in.channel())
                .bind("chat", in.chatId())
                .bind("added", added)
                .bind("now", now)
                .execute();
    }

    private static void insertMessage(
            Handle h, String id, String session, String role, String content, String sender, long now) {
        h.createUpdate("INSERT INTO messages (id, session_key, role, content, sender_id, created_at) "
                        + "VALUES (:id, :session, :role, :content, :sender, :now) ON CONFLICT (id) DO NOTHING")
                .bind("id", id)
                .bind("session", session)
                .bind("role", role)
                .bind("content", content)
                .bind("sender", sender)
                .bind("now", now)
                .execute();
    }

    @Override
    public boolean clear(String sessionKey) {
        return store.write(h -> {
            h.createUpdate("DELETE FROM messages WHERE session_key = :key")
                    .bind("key", sessionKey)
                    .execute();
            return h.createUpdate("UPDATE sessions SET message_count = 0, updated_at = :now WHERE session_key = :key")
                            .bind("key", sessionKey)
                            .bind("now", clock.millis())
                            .execute()
                    == 1;
        });
    }

    @Override
    public boolean delete(String sessionKey) {
        return store.write(h -> {
            h.createUpdate("DELETE FROM messages WHERE session_key = :key")
                    .bind("key", sessionKey)
                    .execute();
            return h.createUpdate("DELETE FROM sessions WHERE session_key = :key")
                            .bind("key", sessionKey)
                            .execute()
                    == 1;
        });
    }

    @Override
    public List<SessionInfo> list(String prefix, int limit) {
        return store.read(
                h -> h.createQuery("SELECT * FROM sessions WHERE substr(session_key, 1, length(:prefix)) = :prefix "
                                + "ORDER BY updated_at DESC LIMIT :limit")
                        .bind("prefix", prefix)
                        .bind("limit", limit)
                        .map((rs, ctx) -> info(rs))
                        .list());
    }

    @Override
    public List<SessionInfo> find(String prefix, List<String> keys, String text, Instant before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT s.* FROM sessions s WHERE (substr(s.session_key, 1,"
                + " length(:prefix)) = :prefix OR s.session_key IN (<keys>))");
        if (before != null) sql.append(" AND s.updated_at < :before");
        if (text != null)
            sql.append(" AND (lower(coalesce(s.title, '')) LIKE :like ESCAPE '!' OR lower((SELECT m.content"
                    + " FROM messages m WHERE m.session_key = s.session_key ORDER BY m.seq DESC LIMIT 1))"
                    + " LIKE :like ESCAPE '!')");
        sql.append(" ORDER BY s.updated_at DESC LIMIT :limit");
        return store.read(h -> {
            var query = h.createQuery(sql.toString())
                    .bind("prefix", prefix)
                    .bindList("keys", keys.isEmpty() ? List.of("") : keys)
                    .bind("limit", limit);
            if (before != null) query.bind("before", before.toEpochMilli());
            if (text != null) query.bind("like", "%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
            return query.map((rs, ctx) -> info(rs)).list();
        });
    }

    /** {@code text} with LIKE's wildcards and the escape character {@code !} escaped by {@code !}. */
    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public boolean create(String sessionKey, String channel, String chatId, String title, String agent) {
        long now = clock.millis();
        return store.write(
                h -> h.createUpdate("INSERT INTO sessions (session_key, channel, chat_id, message_count, created_at,"
                                        + " updated_at, title, agent)"
                                        + " VALUES (:key, :channel, :chat, 0, :now, :now, :title, :agent)"
                                        + " ON CONFLICT (session_key) DO NOTHING")
                                .bind("key", sessionKey)
                                .bind("channel", channel)
                                .bind("chat", chatId)
                                .bind("now", now)
                                .bind("title", title)
                                .bind("agent", agent)
                                .execute()
                        == 1);
    }

    @Override
    public boolean rename(String sessionKey, String title) {
        return store.write(h -> h.createUpdate("UPDATE sessions SET title = :title WHERE session_key = :key")
                        .bind("key", sessionKey)
                        .bind("title", title)
                        .execute()
                == 1);
    }

    private static SessionInfo info(ResultSet rs) throws SQLException {
        return new SessionInfo(
                rs.getString("session_key"),
                rs.getString("channel"),
                rs.getString("chat_id"),
                rs.getInt("message_count"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                rs.getString("title"),
                rs.getString("agent"));
    }
}
