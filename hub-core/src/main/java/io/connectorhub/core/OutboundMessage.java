package io.connectorhub.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A message for a channel to deliver. Immutable.
 *
 * <p>A reply is a {@link Kind#MESSAGE}. While an agent streams, the loop also publishes {@link Kind#DELTA} parts
 * (each holds the next piece of text) and a {@link Kind#TYPING} hint; the final {@code MESSAGE} always carries the
 * whole text, so a channel that ignores the other kinds still delivers the complete reply.
 *
 * @param id unique id of this message (of the reply, for deltas)
 * @param channel the channel that must deliver it
 * @param chatId the platform's conversation id
 * @param content text (Markdown-ish; channels convert it to their format)
 * @param timestamp when it was produced
 * @param media files to attach
 * @param replyTo platform message id of the message this answers (channels quote it when configured to), or null
 * @param metadata channel-specific extras (thread ids)
 * @param kind what this part is
 * @param inReplyTo the {@link InboundMessage#id()} this answers, or null for a message nobody asked for
 * @param agentFailed true for the apology the hub sends when the agent failed to answer: its text is the hub's, not
 *     an answer (a channel with error statuses may answer with an error instead)
 */
public record OutboundMessage(
        String id,
        String channel,
        String chatId,
        String content,
        Instant timestamp,
        List<MediaRef> media,
        String replyTo,
        Map<String, String> metadata,
        Kind kind,
        String inReplyTo,
        boolean agentFailed) {

    public enum Kind {
        /** A complete message to deliver (and, for a reply, the whole text of it). */
        MESSAGE,
        /** The next piece of a streamed reply; its id is the reply's id. */
        DELTA,
        /** The agent is working on a reply. */
        TYPING
    }

    public OutboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(chatId, "chatId");
        content = content == null ? "" : content;
        timestamp = timestamp == null ? Instant.now() : timestamp;
        media = media == null ? List.of() : List.copyOf(media);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        kind = kind == null ? Kind.MESSAGE : kind;
    }

    /** A complete reply to {@code in}, sent back to where it came from. */
    public static OutboundMessage replyTo(InboundMessage in, String replyId, String content) {
        return new OutboundMessage(
                replyId,
                in.channel(),
                in.chatId(),
                content,
                Instant.now(),
                List.of(),
                in.platformMessageId(),
                in.metadata(),
                Kind.MESSAGE,
                in.id(),
                false);
    }

    /** A message nobody asked for (a notification, a webhook-triggered post). */
    public static OutboundMessage to(String channel, String chatId, String content) {
        return new OutboundMessage(
                UUID.randomUUID().toString(),
                channel,
                chatId,
                content,
                Instant.now(),
                List.of(),
                null,
                Map.of(),
                Kind.MESSAGE,
                null,
                false);
    }

    public OutboundMessage withKind(Kind newKind, String newContent) {
        return new OutboundMessage(
                id,
                channel,
                chatId,
                newContent,
                Instant.now(),
                media,
                replyTo,
                metadata,
                newKind,
                inReplyTo,
                agentFailed);
    }

    /** This message marked as the apology for an agent that failed to answer. */
    public OutboundMessage asAgentFailure() {
        return new OutboundMessage(
                id, channel, chatId, content, timestamp, media, replyTo, metadata, kind, inReplyTo, true);
    }

    /** True for parts that are only progress hints and are not stored in the outbox. */
    public boolean ephemeral() {
        return kind != Kind.MESSAGE;
    }
}
