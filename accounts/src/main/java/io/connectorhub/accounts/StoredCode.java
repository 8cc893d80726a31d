package io.connectorhub.accounts;

import java.time.Instant;

/**
 * A one-time code as stored: only the SHA-256 of purpose and code ({@code hash}, base64url), never the code. {@code
 * subject} is what the code stands for (the user who asked to link a chat account, the inviter), {@code purpose} what
 * it is for ({@code link}, {@code invite}).
 */
public record StoredCode(String hash, String purpose, String subject, Instant expiresAt) {}
