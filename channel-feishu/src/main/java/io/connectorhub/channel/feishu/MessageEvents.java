package io.connectorhub.channel.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.GroupPolicy;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MediaRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@code im.message.receive_v1} event (envelope 2.0, already decrypted and authenticated) into an
 * {@link InboundMessage}, or says why it is left alone: messages from bots, group messages the group policy excludes.
 * Private chats are keyed by the sender's open_id, groups by chat_id. Shared by the webhook and the long connection.
 * Thread-safe.
 */
final class MessageEvents {
    static final String RECEIVE = "im.message.receive_v1";
    static final String CHAT_TYPE = "chatType";
    static final String RECEIVE_ID_TYPE = "receiveIdType";
    static final String OPEN_CHAT_ID = "openChatId";

    /** Exactly one of {@code message} and {@code ignored} is set. */
    record Outcome(InboundMessage message, String ignored) {
        static Outcome ignore(String why) {
            return new Outcome(null, why);
        }
    }

    private final String channel;
    private final GroupPolicy groupPolicy;
    private final ObjectMapper json;
    private volatile String botOpenId;

    MessageEvents(String channel, GroupPolicy groupPolicy, ObjectMapper json) {
        this.channel = channel;
        this.groupPolicy = groupPolicy;
        this.json = json;
    }

    /** The bot's own open_id, so that a group mention of the bot can be told from a mention of someone else. */
    void botOpenId(String openId) {
        this.botOpenId = openId;
    }

    String botOpenId() {
        return botOpenId;
    }

    /** True if handling this event depends on the bot's open_id: a group message, taken at all, with mentions. */
    boolean needsBotOpenId(JsonNode envelope) {
        JsonNode message = envelope.path("event").path("message");
        return groupPolicy != GroupPolicy.DISABLED
                && !message.path("chat_type").asText("p2p").equals("p2p")
                && !message.path("mentions").isEmpty();
    }

    Outcome parse(JsonNode envelope) {
        JsonNode header = envelope.path("header");
        String eventId = header.path("event_id").asText("");
        if (eventId.isEmpty()) return Outcome.ignore("no header.event_id");
        JsonNode event = envelope.path("event");
        JsonNode sender = event.path("sender");
        if (sender.path("sender_type").asText("user").equals("app")) return Outcome.ignore("sent by a bot");
        String openId = sender.path("sender_id").path("open_id").asText("");
        JsonNode message = event.path("message");
        String messageId = message.path("message_id").asText("");
        String chatId = message.path("chat_id").asText("");
        String chatType = message.path("chat_type").asText("p2p");
        if (openId.isEmpty() || messageId.isEmpty()) return Outcome.ignore("no sender open_id or message_id");

        Map<String, String> names = new HashMap<>();
        Set<String> botKeys = new HashSet<>();
        boolean mentioned = false;
        for (JsonNode m : message.path("mentions")) {
            String key = m.path("key").asText("");
            names.put(key, m.path("name").asText(key));
            String mentionedId = m.path("id").path("open_id").asText("");
            // While the bot's open_id is unknown no mention counts as the bot's: without the user-id scope nobody
            // has a user_id, so nothing else tells the bot from a person, and answering every @person is worse
            // than staying quiet.
            boolean isBot = botOpenId != null && botOpenId.equals(mentionedId);
            if (isBot) {
                botKeys.add(key);
                mentioned = true;
            }
        }
        boolean group = !chatType.equals("p2p");
        if (group) {
            switch (groupPolicy) {
                case DISABLED -> {
                    return Outcome.ignore("group chats are off (groupPolicy: disabled)");
                }
                case MENTION -> {
                    if (!mentioned) return Outcome.ignore("group message without a mention of the bot");
                }
                case OPEN -> {}
            }
        }

        List<MediaRef> media = new ArrayList<>();
        String text = content(message, names, botKeys, media);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(InboundMessage.MESSAGE_ID, messageId);
        metadata.put(CHAT_TYPE, group ? "group" : "p2p");
        metadata.put(RECEIVE_ID_TYPE, group ? "chat_id" : "open_id");
        if (!chatId.isEmpty()) metadata.put(OPEN_CHAT_ID, chatId);
        String parent = message.path("parent_id").asText("");
        return new Outcome(
                InboundMessage.builder(channel, eventId)
                        .sender(openId)
                        .chat(group ? chatId : openId)
                        .content(text)
                        .timestamp(millis(message.path("create_time").asText("")))
                        .media(media)
                        .replyTo(parent.isEmpty() ? null : parent)
                        .metadata(metadata)
                        .build(),
                null);
    }

    private String content(JsonNode message, Map<String, String> names, Set<String> botKeys, List<MediaRef> media) {
        String type = message.path("message_type").asText("text");
        JsonNode content;
        try {
            content = json.readTree(message.path("content").asText("{}"));
        } catch (Exception e) {
            return "[unreadable " + type + " message]";
        }
        switch (type) {
            case "text" -> {
                String text = content.path("text").asText("");
                // Longest keys first, so @_user_1 does not eat the start of @_user_10.
                List<String> keys = new ArrayList<>(names.keySet());
                keys.sort((a, b) -> b.length() - a.length());
                for (String key : keys) {
                    if (!key.isEmpty()) text = text.replace(key, botKeys.contains(key) ? "" : "@" + names.get(key));
                }
                return text.replaceAll("[ \\t]{2,}", " ").strip();
            }
            case "post" -> {
                PostText.Flattened flat = PostText.flatten(content, names, botKeys);
                flat.imageKeys().forEach(k -> media.add(MediaRef.of("image", k)));
                flat.videoKeys().forEach(k -> media.add(MediaRef.of("video", k)));
                return flat.text();
            }
            case "image" -> {
                return attach(media, "image", content.path("image_key").asText(""), null);
            }
            case "file" -> {
                return attach(media, "file", content.path("file_key").asText(""), content.path("file_name"));
            }
            case "audio" -> {
                return attach(media, "audio", content.path("file_key").asText(""), null);
            }
            case "media" -> {
                return attach(media, "video", content.path("file_key").asText(""), content.path("file_name"));
            }
            case "sticker" -> {
                return "[sticker]";
            }
            default -> {
                return "[" + type + " message]";
            }
        }
    }

    private static String attach(List<MediaRef> media, String kind, String key, JsonNode name) {
        String fileName = name == null || name.asText("").isEmpty() ? null : name.asText();
        if (!key.isEmpty()) media.add(new MediaRef(kind, key, fileName, null, -1));
        return fileName == null ? "[" + kind + "]" : "[" + kind + ": " + fileName + "]";
    }

    private static Instant millis(String epochMillis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(epochMillis));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
