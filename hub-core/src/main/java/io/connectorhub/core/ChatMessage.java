package io.connectorhub.core;

import java.time.Instant;

/** One entry of a session's history. {@code role} is {@code user} or {@code assistant}. */
public record ChatMessage(
        String id, String sessionKey, String role, String content, String senderId, Instant createdAt) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
}
