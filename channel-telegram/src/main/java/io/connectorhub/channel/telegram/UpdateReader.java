package io.connectorhub.channel.telegram;

import io.connectorhub.core.GroupPolicy;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MediaRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

/**
 * Turns a Telegram update into an {@link InboundMessage}, or decides it is not for the bot (not a message, a group
 * message that does not address the bot under {@code groupPolicy}, a channel post). Thread-safe once the bot's own
 * identity is known.
 */
final class UpdateReader {
    static final String THREAD_ID = "threadId";
    static final String CHAT_TYPE = "chatType";
    static final String USERNAME = "username";
    static final String USER_ID = "userId";

    /**
     * The bot's {@code @username} as a whole word ({@code %s} is the quoted name): not inside an e-mail address or a
     * {@code /command@name}, and not the start of a longer name such as {@code @name_other}.
     */
    private static final String MENTION = "(?<![\\w/])@%s(?!\\w)";

    private final String channel;
    private final GroupPolicy groupPolicy;
    private final Predicate<String> allowed;
    private volatile long botId;
    private volatile String botUsername = "";
    /** Compiled once per identity, not per message; null while the username is unknown. */
    private volatile Pattern mentionPattern;

    private volatile Pattern commandPattern;

    /** @param allowed whether the channel's allow-list lets a sender id through */
    UpdateReader(String channel, GroupPolicy groupPolicy, Predicate<String> allowed) {
        this.channel = channel;
        this.groupPolicy = groupPolicy;
        this.allowed = allowed;
    }

    /** Sets the bot's own identity (from {@code getMe}), needed to tell whether a group message mentions it. */
    void identity(long id, String username) {
        this.botId = id;
        this.botUsername = username == null ? "" : username;
        String name = Pattern.quote(botUsername);
        this.mentionPattern =
                botUsername.isEmpty() ? null : Pattern.compile(MENTION.formatted(name), Pattern.CASE_INSENSITIVE);
        this.commandPattern =
                botUsername.isEmpty() ? null : Pattern.compile("^/\\w+@" + name + "(?!\\w)", Pattern.CASE_INSENSITIVE);
    }

    String botUsername() {
        return botUsername;
    }

    /** The message for the agent loop, or null if this update is to be confirmed and otherwise ignored. */
    InboundMessage read(Update update) {
        Message message = update.getMessage();
        if (message == null || message.getFrom() == null || message.getChat() == null) return null;
        // Other bots (and this one) never reach the agent: two bots answering each other would never stop.
        if (Boolean.TRUE.equals(message.getFrom().getIsBot())) return null;
        String chatType = message.getChat().getType();
        boolean group = "group".equals(chatType) || "supergroup".equals(chatType);
        if (!group && !"private".equals(chatType)) return null;
        String text = message.getText() != null ? message.getText() : message.getCaption();
        List<MessageEntity> entities = message.getText() != null ? message.getEntities() : message.getCaptionEntities();
        text = text == null ? "" : text;
        if (group) {
            if (groupPolicy == GroupPolicy.DISABLED) return null;
            if (groupPolicy == GroupPolicy.MENTION && !addressesBot(message, text, entities)) return null;
        }
        List<MediaRef> media = media(message);
        String content = command(stripMention(text).strip());
        if (content.isEmpty() && media.isEmpty()) return null;

        User from = message.getFrom();
        Map<String, String> metadata = new HashMap<>();
        metadata.put(InboundMessage.MESSAGE_ID, String.valueOf(message.getMessageId()));
        metadata.put(CHAT_TYPE, chatType);
        metadata.put(USER_ID, String.valueOf(from.getId()));
        if (from.getUserName() != null) metadata.put(USERNAME, from.getUserName());
        String chatId = String.valueOf(message.getChat().getId());
        String sessionKey = null;
        if (Boolean.TRUE.equals(message.getIsTopicMessage()) && message.getMessageThreadId() != null) {
            metadata.put(THREAD_ID, String.valueOf(message.getMessageThreadId()));
            sessionKey = channel + ":" + chatId + ":" + message.getMessageThreadId();
        }
        Message replied = message.getReplyToMessage();
        return InboundMessage.builder(channel, String.valueOf(update.getUpdateId()))
                .sender(senderId(from))
                .chat(chatId)
                .content(content)
                .timestamp(message.getDate() == null ? null : Instant.ofEpochSecond(message.getDate()))
                .media(media)
                .replyTo(replied == null ? null : String.valueOf(replied.getMessageId()))
                .metadata(metadata)
                .sessionKey(sessionKey)
                .build();
    }

    /**
     * The sender id the allow-list is checked against: the numeric user id, unless only the sender's username is
     * listed (exactly, with or without {@code @}), in which case the listed form. Nothing is split or prefixed.
     */
    private String senderId(User from) {
        String id = String.valueOf(from.getId());
        if (allowed.test(id) || from.getUserName() == null) return id;
        if (allowed.test(from.getUserName())) return from.getUserName();
        if (allowed.test("@" + from.getUserName())) return "@" + from.getUserName();
        return id;
    }

    private boolean addressesBot(Message message, String text, List<MessageEntity> entities) {
        Message replied = message.getReplyToMessage();
        if (replied != null && replied.getFrom() != null && replied.getFrom().getId() == botId) return true;
        String mention = "@" + botUsername.toLowerCase(Locale.ROOT);
        if (entities != null) {
            for (MessageEntity e : entities) {
                if ("text_mention".equals(e.getType())
                        && e.getUser() != null
                        && e.getUser().getId() == botId) return true;
                if ("mention".equals(e.getType()) || "bot_command".equals(e.getType())) {
                    String part = slice(text, e).toLowerCase(Locale.ROOT);
                    // A bare /command at the start is meant for the group's bots (privacy mode delivers it).
                    if ("bot_command".equals(e.getType()) && e.getOffset() == 0 && !part.contains("@")) return true;
                    if (part.equals(mention) || part.endsWith(mention)) return true;
                }
            }
        }
        // Without entities: "@name" as a whole word (not "@name_other"), or a leading "/command@name".
        Pattern byName = mentionPattern, command = commandPattern;
        if (byName == null) return false;
        return byName.matcher(text).find() || command.matcher(text).find();
    }

    private static String slice(String text, MessageEntity e) {
        if (e.getOffset() == null || e.getLength() == null) return "";
        int from = Math.min(text.length(), e.getOffset());
        return text.substring(from, Math.min(text.length(), from + e.getLength()));
    }

    /** Removes the bot's {@code @username} from the text, so the agent sees what was said to it. */
    private String stripMention(String text) {
        Pattern mention = mentionPattern;
        if (mention == null) return text;
        return mention.matcher(text).replaceAll("").replaceAll("[ \\t]{2,}", " ");
    }

    /** {@code /start@MyBot args} becomes {@code /start args}: commands reach the agent loop in one form. */
    private String command(String text) {
        if (!text.startsWith("/") || botUsername.isEmpty()) return text;
        int space = text.indexOf(' ');
        String head = space < 0 ? text : text.substring(0, space);
        String suffix = "@" + botUsername.toLowerCase(Locale.ROOT);
        if (head.toLowerCase(Locale.ROOT).endsWith(suffix))
            return head.substring(0, head.length() - suffix.length()) + (space < 0 ? "" : text.substring(space));
        return text;
    }

    private static List<MediaRef> media(Message m) {
        List<MediaRef> media = new ArrayList<>();
        if (m.getPhoto() != null && !m.getPhoto().isEmpty()) {
            PhotoSize largest = m.getPhoto().getLast();
            media.add(new MediaRef("image", largest.getFileId(), null, "image/jpeg", size(largest.getFileSize())));
        }
        if (m.getDocument() != null) {
            var d = m.getDocument();
            media.add(new MediaRef("document", d.getFileId(), d.getFileName(), d.getMimeType(), size(d.getFileSize())));
        }
        if (m.getVoice() != null) {
            var v = m.getVoice();
            media.add(new MediaRef("voice", v.getFileId(), null, v.getMimeType(), size(v.getFileSize())));
        }
        if (m.getAudio() != null) {
            var a = m.getAudio();
            media.add(new MediaRef("audio", a.getFileId(), a.getFileName(), a.getMimeType(), size(a.getFileSize())));
        }
        if (m.getVideo() != null) {
            var v = m.getVideo();
            media.add(new MediaRef("video", v.getFileId(), v.getFileName(), v.getMimeType(), size(v.getFileSize())));
        }
        return media;
    }

    private static long size(Number n) {
        return n == null ? -1 : n.longValue();
    }
}
