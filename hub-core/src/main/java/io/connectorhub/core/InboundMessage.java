package io.connectorhub.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message that arrived on a channel. Immutable.
 *
 * @param id the platform's id of this message, unique within its channel (Telegram update id, Discord message id,
 *     Feishu event id, WebSocket idempotency key); the inbox de-duplicates on (channel, id)
 * @param channel name of the channel it arrived on
 * @param senderId the platform's id of the sender, matched exactly against the channel's allow-list
 * @param chatId the platform's id of the conversation, where replies go
 * @param content the text, or a command such as {@code /reset}
 * @param timestamp when the platform says it was sent
 * @param media files attached to the message
 * @param replyTo the platform id of the message this one answers, or null
 * @param metadata channel-specific extras (thread ids, usernames); never secrets
 * @param sessionKeyOverride the session this message belongs to when it is not {@code channel:chatId}, else null
 * @param agent the id of the agent the sender chose to answer this message, instead of the routing's choice; the
 *     agent loop answers with it if the sender may choose it ({@link AgentDirectory}), else fails the turn; null: routed
 */
public record InboundMessage(
        String id,
        String channel,
        String senderId,
        String chatId,
        String content,
        Instant timestamp,
        List<MediaRef> media,
        String replyTo,
        Map<String, String> metadata,
        String sessionKeyOverride,
        String agent) {

    /**
     * Metadata key for the platform's id of the message itself, when {@link #id()} is another id (Telegram's
     * update id, Feishu's event id). Replies quote this id.
     */
    public static final String MESSAGE_ID = "messageId";

    /**
     * Metadata key set to {@code true} on a direct (one-to-one) message whose chat id is not the sender's id, as a
     * Discord DM's channel. A message whose chat is its sender (Telegram, Feishu) is direct without it.
     */
    public static final String DIRECT = "direct";

    public InboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(chatId, "chatId");
        content = content == null ? "" : content;
        timestamp = timestamp == null ? Instant.now() : timestamp;
        media = media == null ? List.of() : List.copyOf(media);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The conversation this message belongs to: {@code channel:chatId} unless the channel chose another key. */
    public String sessionKey() {
        return sessionKeyOverride != null ? sessionKeyOverride : channel + ":" + chatId;
    }

    /** Whether this is a direct (one-to-one) message: its chat is its sender, or the channel marked it {@link #DIRECT}. */
    public boolean direct() {
        return chatId.equals(senderId) || "true".equals(metadata.get(DIRECT));
    }

    /** The platform id of the message to quote when answering this one. */
    public String platformMessageId() {
        return metadata.getOrDefault(MESSAGE_ID, id);
    }

    public static Builder builder(String channel, String id) {
        return new Builder(channel, id);
    }

    /** Builds messages in channel code, where most fields are optional. Not thread-safe. */
    public static final class Builder {
        private final String channel;
        private final String id;
        private String senderId;
        private String chatId;
        private String content = "";
        private Instant timestamp;
        private List<MediaRef> media = List.of();
        private String replyTo;
        private Map<String, String> metadata = Map.of();
        private String sessionKey;
        private String agent;

        private Builder(String channel, String id) {
            this.channel = channel;
            this.id = id;
        }

        public Builder sender(String senderId) {
            this.senderId = senderId;
            return this;
        }

        public Builder chat(String chatId) {
            this.chatId = chatId;
            return this;
        }

        public Builder content(String content) {
            this.content = content;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder media(List<MediaRef> media) {
            this.media = media;
            return this;
        }

        public Builder replyTo(String replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder sessionKey(String sessionKey) {
            this.sessionKey = sessionKey;
            return this;
        }

        /** The agent the sender chose; see {@link InboundMessage#agent()}. */
        public Builder agent(String agent) {
            this.agent = agent;
            return this;
        }

        public InboundMessage build() {
            return new InboundMessage(
                    id, channel, senderId, chatId, content, timestamp, media, replyTo, metadata, sessionKey, agent);
        }
    }
}
