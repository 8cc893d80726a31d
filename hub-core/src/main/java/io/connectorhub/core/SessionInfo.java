package io.connectorhub.core;

import java.time.Instant;

/** Summary of one conversation. */
public record SessionInfo(
        String sessionKey, String channel, String chatId, int messageCount, Instant createdAt, Instant updatedAt) {}
