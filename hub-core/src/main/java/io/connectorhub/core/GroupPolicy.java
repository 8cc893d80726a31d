package io.connectorhub.core;

import java.util.Locale;

/**
 * How a channel with group chats treats group messages ({@code channels.<name>.groupPolicy}); direct messages are
 * always answered. Written in lower case in {@code hub.yaml}, as {@link #toString()} spells it.
 */
public enum GroupPolicy {
    /** Answer in a group only when the bot is mentioned or replied to. */
    MENTION,
    /** Answer every group message. */
    OPEN,
    /** Ignore group messages. */
    DISABLED;

    /** The name as {@code hub.yaml} writes it: {@code mention}, {@code open}, {@code disabled}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
