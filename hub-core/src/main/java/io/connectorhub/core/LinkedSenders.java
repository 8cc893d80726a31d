package io.connectorhub.core;

/**
 * Chat accounts (a channel's sender ids) linked to users, so that the agent loop can let a linked sender chat and
 * take {@code /link CODE} without depending on the accounts module. Thread-safe.
 */
public interface LinkedSenders {
    /** The id of the user that {@code senderId} on {@code channel} is linked to, or null. */
    String userOf(String channel, String senderId);

    /**
     * Links {@code senderId} on {@code channel} to the user who asked for {@code code}, if the code is right; returns
     * the bot's short answer (a confirmation or a refusal), which never contains the code.
     */
    String link(String channel, String senderId, String code);

    /**
     * Records that {@code senderId} on {@code channel} chats with the bot directly ({@link InboundMessage#direct()}) in
     * the conversation {@code sessionKey}, if that sender is linked, so that the user's sessions list it; else nothing.
     */
    default void direct(String channel, String senderId, String sessionKey) {}

    /**
     * The one conversation of user {@code userId}'s direct messages on their linked accounts and their WebSocket
     * session {@code main}, when {@code sessions.shareLinked} is on.
     */
    static String sharedSession(String userId) {
        return "user:" + userId;
    }

    /** Links nobody and refuses every code (a hub without accounts, tests). */
    static LinkedSenders none() {
        return new LinkedSenders() {
            @Override
            public String userOf(String channel, String senderId) {
                return null;
            }

            @Override
            public String link(String channel, String senderId, String code) {
                return "Linking is not available on this hub.";
            }
        };
    }
}
