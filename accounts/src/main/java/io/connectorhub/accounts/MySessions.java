package io.connectorhub.accounts;

import io.connectorhub.core.AgentDirectory;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.LinkedSenders;
import io.connectorhub.core.Principal;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.SessionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user's own WebSocket sessions, stored as {@code websocket:@<user id>/<key>} and named to the user by {@code key}
 * alone, and the conversations of their linked chat accounts, named by their stored key (each account's direct chat
 * with the bot, as {@link Links.Link#directSession()} records it, and {@code user:<user id>} when shared), readable but
 * not deleted here. Another user's key behaves like one that does not exist.
 */
final class MySessions {
    private static final String CHANNEL = "websocket";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    record Session(
            String sessionKey,
            String channel,
            String title,
            String agent,
            int messageCount,
            Instant createdAt,
            Instant updatedAt) {}

    record Message(String id, String role, String text, Instant timestamp) {}

    private final SessionStore sessions;
    private final Links links;
    private final AgentDirectory agents;

    MySessions(SessionStore sessions, Links links, AgentDirectory agents) {
        this.sessions = sessions;
        this.links = links;
        this.agents = agents;
    }

    /**
     * {@code who}'s sessions last active before {@code before} (null: any time) whose title or last message contains
     * {@code text} (null: any), most recent first.
     */
    List<Session> list(Principal who, String text, Instant before, int limit) {
        String prefix = prefix(who);
        return sessions.find(prefix, linked(who), text, before, limit).stream()
                .map(s -> session(s, s.sessionKey().startsWith(prefix) ? prefix : ""))
                .toList();
    }

    /**
     * A new WebSocket session of {@code who}'s, named {@code title} (or null), answered by agent {@code agent} (one they
     * may choose, or null: routed), with a generated key.
     */
    Session create(Principal who, String title, String agent) {
        String key = "s-" + GeneratedSecret.random(9);
        String chat = prefix(who).substring(CHANNEL.length() + 1);
        String checkedTitle = checkedTitle(title, true);
        if (agent != null && !agents.choosable(CHANNEL, chat).contains(agent))
            throw new AccountError(
                    400,
                    "agent " + agent + " is not one you may choose: choose one of " + agents.choosable(CHANNEL, chat)
                            + " (GET /api/v1/agents)");
        if (!sessions.create(prefix(who) + key, CHANNEL, chat + key, checkedTitle, agent))
            throw new AccountError(409, "session " + key + " exists: try again");
        return stored(prefix(who) + key).map(s -> session(s, prefix(who))).orElseThrow();
    }

    /** Names {@code who}'s session {@code key} (theirs or a linked conversation) {@code title}. */
    Session rename(Principal who, String key, String title) {
        boolean isLinked = linked(who).contains(key);
        String stored = isLinked ? key : prefix(who) + checked(key);
        if (!sessions.rename(stored, checkedTitle(title, false)))
            throw new AccountError(404, "session " + key + " not found");
        return stored(stored).map(s -> session(s, isLinked ? "" : prefix(who))).orElseThrow();
    }

    /** {@code who}'s session {@code key} (theirs or a linked conversation), if there is one. */
    Optional<Session> get(Principal who, String key) {
        boolean isLinked = linked(who).contains(key);
        return stored(isLinked ? key : prefix(who) + checked(key)).map(s -> session(s, isLinked ? "" : prefix(who)));
    }

    /**
     * The last {@code limit} messages of {@code who}'s session {@code key} before the message with id {@code before}
     * (null: the newest), oldest first; empty if there is no such session.
     */
    Optional<List<Message>> messages(Principal who, String key, String before, int limit) {
        String stored = linked(who).contains(key) ? key : prefix(who) + checked(key);
        if (stored(stored).isEmpty()) return Optional.empty();
        List<ChatMessage> history = before == null
                ? sessions.history(stored, limit)
                : sessions.historyBefore(stored, before, limit)
                        .orElseThrow(() -> new AccountError(
                                400, "before must be the id of a message of session " + key + ": an id it listed"));
        return Optional.of(history.stream().map(MySessions::message).toList());
    }

    boolean delete(Principal who, String key) {
        if (linked(who).contains(key))
            throw new AccountError(403, "session " + key + " is a linked chat's: send /reset in that chat to clear it");
        return sessions.delete(prefix(who) + checked(key));
    }

    /** The stored keys of {@code who}'s linked conversations, whether they exist yet or not. */
    private List<String> linked(Principal who) {
        List<String> keys = new ArrayList<>();
        // The direct conversation's key as recorded (a Discord DM's is its channel's); until then the sender's own,
        // which is the key of Telegram's private and Feishu's p2p chats.
        for (Links.Link l : links.of(who.userId()))
            keys.add(l.directSession() != null ? l.directSession() : l.channel() + ":" + l.senderId());
        keys.add(LinkedSenders.sharedSession(who.userId()));
        return keys;
    }

    private Optional<SessionInfo> stored(String key) {
        return sessions.get(key);
    }

    private static String prefix(Principal who) {
        return CHANNEL + ":@" + who.userId() + "/";
    }

    /** {@code title} stripped: 1-200 characters; null allowed when {@code optional}. */
    private static String checkedTitle(String title, boolean optional) {
        if (title == null && optional) return null;
        String t = title == null ? "" : title.strip();
        if (t.isEmpty() || t.length() > 200) throw new AccountError(400, "title must be 1-200 characters");
        return t;
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches())
            throw new AccountError(400, "session key must be 1-128 characters of A-Za-z0-9._:@-");
        return key;
    }

    private static Session session(SessionInfo s, String prefix) {
        return new Session(
                s.sessionKey().substring(prefix.length()),
                s.channel(),
                s.title(),
                s.agent(),
                s.messageCount(),
                s.createdAt(),
                s.updatedAt());
    }

    private static Message message(ChatMessage m) {
        return new Message(m.id(), m.role(), m.content(), m.createdAt());
    }
}
