package io.connectorhub.accounts;

import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.Principal;
import io.connectorhub.core.SessionInfo;
import io.connectorhub.core.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user's own WebSocket sessions, stored as {@code websocket:@<user id>/<key>} and named to the user by {@code key}
 * alone; another user's key behaves like one that does not exist.
 */
final class MySessions {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    record Session(String sessionKey, String channel, int messageCount, Instant createdAt, Instant updatedAt) {}

    record Message(String id, String role, String text, Instant timestamp) {}

    private final SessionStore sessions;

    MySessions(SessionStore sessions) {
        this.sessions = sessions;
    }

    List<Session> list(Principal who, int limit) {
        String prefix = prefix(who);
        return sessions.list(prefix, limit).stream()
                .map(s -> session(s, prefix))
                .toList();
    }

    /** The last {@code limit} messages of {@code who}'s session {@code key}, oldest first; empty if there is none. */
    Optional<List<Message>> messages(Principal who, String key, int limit) {
        String stored = prefix(who) + checked(key);
        if (sessions.list(stored, 1000).stream().noneMatch(s -> s.sessionKey().equals(stored))) return Optional.empty();
        return Optional.of(sessions.history(stored, limit).stream()
                .map(MySessions::message)
                .toList());
    }

    boolean delete(Principal who, String key) {
        return sessions.delete(prefix(who) + checked(key));
    }

    private static String prefix(Principal who) {
        return "websocket:@" + who.userId() + "/";
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches())
            throw new AccountError(400, "session key must be 1-128 characters of A-Za-z0-9._:@-");
        return key;
    }

    private static Session session(SessionInfo s, String prefix) {
        return new Session(
                s.sessionKey().substring(prefix.length()), s.channel(), s.messageCount(), s.createdAt(), s.updatedAt());
    }

    private static Message message(ChatMessage m) {
        return new Message(m.id(), m.role(), m.content(), m.createdAt());
    }
}
