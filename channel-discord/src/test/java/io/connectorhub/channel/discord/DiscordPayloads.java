package io.connectorhub.channel.discord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Discord API objects as the gateway and REST API send them, reduced to the fields JDA reads. */
public final class DiscordPayloads {
    public static final String BOT_ID = "1000000000000000001";
    static final String GUILD_ID = "2000000000000000002";
    public static final String TEXT_CHANNEL = "3000000000000000003";
    static final String THREAD = "3000000000000000004";
    static final String OTHER_CHANNEL = "3000000000000000005";
    public static final String DM_CHANNEL = "4000000000000000004";
    public static final String USER_ID = "5000000000000000005";
    static final String OTHER_BOT_ID = "6000000000000000006";
    static final String TIMESTAMP = "2026-11-25T10:00:00.000000+00:00";

    private static final AtomicLong ids = new AtomicLong(7000000000000000000L);

    private DiscordPayloads() {}

    static String nextId() {
        return Long.toString(ids.incrementAndGet());
    }

    static Map<String, Object> user(String id, String name, boolean bot) {
        Map<String, Object> user = new HashMap<>();
        user.put("id", id);
        user.put("username", name);
        user.put("discriminator", "0");
        user.put("global_name", name);
        user.put("avatar", null);
        user.put("bot", bot);
        user.put("public_flags", 0);
        return user;
    }

    static Map<String, Object> self() {
        Map<String, Object> self = user(BOT_ID, "hubbot", true);
        self.put("verified", true);
        self.put("mfa_enabled", false);
        self.put("flags", 0);
        return self;
    }

    static Map<String, Object> ready(String resumeUrl) {
        return Map.of(
                "v", 10,
                "user", self(),
                "guilds", List.of(Map.of("id", GUILD_ID, "unavailable", true)),
                "session_id", "fake-session-1",
                "resume_gateway_url", resumeUrl,
                "private_channels", List.of(),
                "application", Map.of("id", BOT_ID, "flags", 0));
    }

    static Map<String, Object> guild() {
        Map<String, Object> g = new HashMap<>();
        g.put("id", GUILD_ID);
        g.put("name", "Test server");
        g.put("owner_id", BOT_ID);
        g.put("unavailable", false);
        g.put("large", false);
        g.put("afk_timeout", 300);
        g.put("member_count", 2);
        g.put("joined_at", TIMESTAMP);
        g.put("features", List.of());
        g.put(
                "roles",
                List.of(Map.of(
                        "id",
                        GUILD_ID,
                        "name",
                        "@everyone",
                        "permissions",
                        "377957124096", // view channel, send messages, read history, threads
                        "position",
                        0,
                        "colors",
                        Map.of("primary_color", 0),
                        "color",
                        0,
                        "hoist",
                        false,
                        "managed",
                        false,
                        "mentionable",
                        false,
                        "flags",
                        0)));
        g.put("channels", List.of(textChannel(TEXT_CHANNEL, "general", 0), textChannel(OTHER_CHANNEL, "random", 1)));
        g.put("threads", List.of(thread()));
        g.put(
                "members",
                List.of(Map.of(
                        "user",
                        self(),
                        "roles",
                        List.of(),
                        "joined_at",
                        TIMESTAMP,
                        "deaf",
                        false,
                        "mute",
                        false,
                        "flags",
                        0)));
        g.put("guild_scheduled_events", List.of());
        g.put("emojis", List.of());
        g.put("stickers", List.of());
        g.put("voice_states", List.of());
        g.put("presences", List.of());
        g.put("stage_instances", List.of());
        g.put("soundboard_sounds", List.of());
        return g;
    }

    private static Map<String, Object> textChannel(String id, String name, int position) {
        return Map.of(
                "id", id,
                "type", 0,
                "guild_id", GUILD_ID,
                "name", name,
                "position", position,
                "permission_overwrites", List.of(),
                "nsfw", false);
    }

    private static Map<String, Object> thread() {
        return Map.of(
                "id",
                THREAD,
                "type",
                11,
                "guild_id",
                GUILD_ID,
                "parent_id",
                TEXT_CHANNEL,
                "name",
                "a thread",
                "owner_id",
                USER_ID,
                "member_count",
                2,
                "message_count",
                1,
                "thread_metadata",
                Map.of(
                        "archived", false,
                        "locked", false,
                        "invitable", true,
                        "auto_archive_duration", 1440,
                        "archive_timestamp", TIMESTAMP));
    }

    /** A MESSAGE_CREATE payload; {@code guild} false for a DM. */
    static Map<String, Object> message(
            String id, String channelId, boolean guild, Map<String, Object> author, String content) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("type", 0);
        m.put("channel_id", channelId);
        if (guild) {
            m.put("guild_id", GUILD_ID);
            m.put(
                    "member",
                    Map.of("roles", List.of(), "joined_at", TIMESTAMP, "deaf", false, "mute", false, "flags", 0));
        }
        m.put("author", author);
        m.put("content", content);
        m.put("timestamp", TIMESTAMP);
        m.put("edited_timestamp", null);
        m.put("tts", false);
        m.put("mention_everyone", false);
        List<Object> mentions = new ArrayList<>();
        if (content.contains("<@" + BOT_ID + ">")) mentions.add(self());
        m.put("mentions", mentions);
        m.put("mention_roles", List.of());
        m.put("attachments", List.of());
        m.put("embeds", List.of());
        m.put("pinned", false);
        m.put("flags", 0);
        return m;
    }

    public static Map<String, Object> fromUser(String channelId, boolean guild, String content) {
        return message(nextId(), channelId, guild, user(USER_ID, "alice", false), content);
    }

    /** What the REST API answers to a send or an edit (the content is not echoed; JDA does not need it). */
    static Map<String, Object> sent(String id, String channelId) {
        return message(id, channelId, false, self(), "ok");
    }
}
