package io.connectorhub.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Conversations and their history. Thread-safe. */
public interface SessionStore {
    /** The last {@code limit} messages of a session, oldest first. */
    List<ChatMessage> history(String sessionKey, int limit);

    /**
     * The last {@code limit} messages of a session before the message with id {@code beforeId}, oldest first; empty if
     * that message is not in the session.
     */
    Optional<List<ChatMessage>> historyBefore(String sessionKey, String beforeId, int limit);

    /** The session {@code sessionKey}, if it exists. */
    Optional<SessionInfo> get(String sessionKey);

    /**
     * Records a finished turn in one transaction: the user's message and the reply in the history (unless
     * {@code keepInHistory} is false, as for commands and error apologies), the reply's outbox entry, and the inbound
     * message as done. All of it happens or none, so a crash never leaves a reply recorded but not queued, or a
     * message answered but still pending.
     */
    void completeTurn(InboundMessage in, OutboundMessage reply, boolean keepInHistory);

    /** Forgets a session's history but keeps the session. True if it existed. */
    boolean clear(String sessionKey);

    /** Deletes a session and its history. True if it existed. */
    boolean delete(String sessionKey);

    /** Sessions whose key starts with {@code prefix}, most recently active first. */
    List<SessionInfo> list(String prefix, int limit);

    /**
     * Sessions whose key starts with {@code prefix} or is one of {@code keys}, last active before {@code before} (null:
     * any time), whose title or last message contains {@code text} ignoring case (null: any), most recently active
     * first.
     */
    List<SessionInfo> find(String prefix, List<String> keys, String text, Instant before, int limit);

    /**
     * Adds an empty session named {@code title} (or null) whose messages go to agent {@code agent} (or null: routed);
     * false if {@code sessionKey} exists.
     */
    boolean create(String sessionKey, String channel, String chatId, String title, String agent);

    /** Names session {@code sessionKey} {@code title}; false if it does not exist. */
    boolean rename(String sessionKey, String title);
}
