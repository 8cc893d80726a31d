package io.connectorhub.core;

import java.time.Instant;

/**
 * Summary of one conversation.
 *
 * @param title what the user named it, or null
 * @param agent the id of the agent the user chose for it, or null (the routing chooses)
 */
public record SessionInfo(
        String sessionKey,
        String channel,
        String chatId,
        int messageCount,
        Instant createdAt,
        Instant updatedAt,
        String title,
        String agent) {}
