package io.connectorhub.core;

import java.util.List;

/**
 * The keys every channel section shares ({@code channels.<name>.enabled}, {@code .allowFrom} and, for a channel with
 * group chats, {@code .groupPolicy}), bound apart from the channel's own {@link ChannelSettings}. A setting for all
 * channels is added here, once.
 *
 * @param allowFrom the sender ids that may chat, or {@code "*"}; see {@link AllowList}
 * @param groupPolicy for a channel with group chats ({@link ChannelFactory#hasGroups()}), else null
 */
public record CommonChannelSettings(boolean enabled, List<String> allowFrom, GroupPolicy groupPolicy) {
    /** The keys of this record, as they are written in a channel's section. */
    public static final List<String> KEYS = List.of("enabled", "allowFrom", "groupPolicy");

    public CommonChannelSettings {
        allowFrom = allowFrom == null ? List.of() : List.copyOf(allowFrom);
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
                + groupPolicy + "]";
    }
}
