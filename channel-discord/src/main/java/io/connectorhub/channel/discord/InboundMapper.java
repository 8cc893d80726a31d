package io.connectorhub.channel.discord;

import io.connectorhub.core.GroupPolicy;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MediaRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageReference;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;

/**
 * Decides which Discord messages the hub answers and turns them into {@link InboundMessage}s: DMs always (the
 * allow-list is checked later), server channels per {@code groupPolicy} and {@code allowChannels}; messages of bots
 * (this one included), webhooks and the system are never answered. Immutable, thread-safe.
 */
final class InboundMapper {
    /** Metadata: the Discord user id of the sender, to open a DM when the channel is not cached. */
    static final String USER_ID = "userId";

    static final String GUILD_ID = "guildId";
    static final String THREAD_ID = "threadId";
    static final String PARENT_ID = "parentChannelId";
    static final String USERNAME = "username";

    private final String channelName;
    private final GroupPolicy policy;
    private final Set<String> allowChannels;

    /** @param allowChannels the server channel ids listened in; empty: all */
    InboundMapper(String channelName, GroupPolicy policy, List<String> allowChannels) {
        this.channelName = channelName;
        this.policy = policy;
        this.allowChannels = Set.copyOf(allowChannels);
    }

    /** The message for the hub, or empty if the bot must not answer it. */
    Optional<InboundMessage> map(Message message, User self) {
        User author = message.getAuthor();
        if (author.isBot() || author.isSystem() || message.isWebhookMessage()) return Optional.empty();
        MessageChannel channel = message.getChannel();
        Map<String, String> metadata = new HashMap<>();
        String sessionKey = null;
        if (message.isFromGuild()) {
            if (policy == GroupPolicy.DISABLED) return Optional.empty();
            String listenedChannel = channel.getId();
            if (channel instanceof ThreadChannel thread) {
                listenedChannel = thread.getParentChannel().getId();
                metadata.put(THREAD_ID, thread.getId());
                metadata.put(PARENT_ID, listenedChannel);
                sessionKey = channelName + ":thread:" + thread.getId();
            }
            if (!allowChannels.isEmpty() && !allowChannels.contains(listenedChannel)) return Optional.empty();
            if (policy == GroupPolicy.MENTION && !addressesBot(message, self)) return Optional.empty();
            metadata.put(GUILD_ID, message.getGuildId());
        } else {
            metadata.put(InboundMessage.DIRECT, "true"); // a DM: its channel id is not the sender's id
        }
        metadata.put(InboundMessage.MESSAGE_ID, message.getId());
        metadata.put(USER_ID, author.getId());
        metadata.put(USERNAME, author.getName());
        MessageReference reference = message.getMessageReference();
        return Optional.of(InboundMessage.builder(channelName, message.getId())
                .sender(author.getId())
                .chat(channel.getId())
                .content(withoutSelfMention(message.getContentRaw(), self))
                .timestamp(message.getTimeCreated().toInstant())
                .media(media(message.getAttachments()))
                .replyTo(reference != null ? reference.getMessageId() : null)
                .metadata(metadata)
                .sessionKey(sessionKey)
                .build());
    }

    /** Mentioned by name (not through @everyone or a role), or a reply to one of the bot's messages. */
    private static boolean addressesBot(Message message, User self) {
        if (message.getMentions().isMentioned(self, Message.MentionType.USER)) return true;
        Message referenced = message.getReferencedMessage();
        return referenced != null && referenced.getAuthor().getIdLong() == self.getIdLong();
    }

    private static String withoutSelfMention(String content, User self) {
        return content.replace("<@" + self.getId() + ">", "")
                .replace("<@!" + self.getId() + ">", "")
                .strip();
    }

    private static List<MediaRef> media(List<Message.Attachment> attachments) {
        return attachments.stream()
                .map(a -> new MediaRef(kind(a), a.getUrl(), a.getFileName(), a.getContentType(), a.getSize()))
                .toList();
    }

    private static String kind(Message.Attachment a) {
        String type = a.getContentType() == null ? "" : a.getContentType();
        if (a.isImage() || type.startsWith("image/")) return "image";
        if (a.isVideo() || type.startsWith("video/")) return "video";
        if (type.startsWith("audio/")) return "audio";
        return "file";
    }
}
