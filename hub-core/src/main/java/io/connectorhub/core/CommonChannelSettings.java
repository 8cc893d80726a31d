package io.connectorhub.core;

import java.util.List;

/**
 * The keys every channel section shares ({@code channels.<name>.enabled}, {@code .allowFrom} and, for a channel with
 * group chats, {@code .groupPolicy} and {@code .allowLinked}), bound apart from the channel's own {@link
 * ChannelSettings}. A setting for all channels is added here, once.
 *
 * @param allowFrom the sender ids that may chat, or {@code "*"}; see {@link AllowList}
 * @param groupPolicy for a channel with group chats ({@link ChannelFactory#hasGroups()}), else null
 * @param allowLinked whether senders linked to a user may chat too (see {@link LinkedSenders}); null when the section
 *     does not write it, which means true for a channel with group chats
 */
public record CommonChannelSettings(
        boolean enabled, List<String> allowFrom, GroupPolicy groupPolicy, Boolean allowLinked) {
    /** The keys of this record, as they are written in a channel's section. */
    public static final List<String> KEYS = List.of("enabled", "allowFrom", "groupPolicy", "allowLinked");

    /** The keys only a channel with group chats (a chat platform of people's accounts) has. */
    public static final List<String> GROUP_KEYS = List.of("groupPolicy", "allowLinked");

    public CommonChannelSettings {
        allowFrom = allowFrom == null ? List.of() : List.copyOf(allowFrom);
    }

    public CommonChannelSettings(boolean enabled, List<String> allowFrom, GroupPolicy groupPolicy) {
        this(enabled, allowFrom, groupPolicy, null);
    }

    /**
     * Whether linked senders may chat: never on a channel without group chats (no chat platform accounts to link),
     * else {@code allowLinked}, true unless written false.
     */
    public boolean allowsLinked() {
        return groupPolicy != null && !Boolean.FALSE.equals(allowLinked);
    }

    public AllowList allowList() {
        return AllowList.of(allowFrom);
    }

    /**
     * Adds a problem at {@code path.allowFrom} if it is empty (nobody could chat), ending with {@code fix}, e.g.
     * {@code list Telegram user ids or usernames, or use ["*"] for everyone}.
     */
    public void requireAllowFrom(String path, String fix, Problems problems) {
        problems.require(!allowFrom.isEmpty(), path + ".allowFrom", "is empty, so nobody could chat: " + fix);
    }

    @Override
    public String toString() {
        return "CommonChannelSettings[enabled=" + enabled + ", allowFrom=" + allowFrom.size() + " entries, groupPolicy="
                + groupPolicy + ", allowLinked=" + allowLinked + "]";
    }
}
