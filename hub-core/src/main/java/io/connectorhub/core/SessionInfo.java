package io.connectorhub.core;

import java.time.Instant;

/**
 * Summary of one conversation.
 *
 * @param title what the user named it, or null
 */
public record SessionInfo(
        String sessionKey,
        String channel,
        String chatId,
        int messageCount,
        Instant createdAt,
        Instant updatedAt,
        String title) {}
