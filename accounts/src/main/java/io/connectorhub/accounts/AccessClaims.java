package io.connectorhub.accounts;

import java.time.Instant;

/**
 * What a verified access token says: the user ({@code sub}), their role, the sign-in session it belongs to ({@code
 * sid}, the refresh-token family), its own id ({@code jti}) and its lifetime. Nothing in it is secret.
 */
public record AccessClaims(
        String userId, Role role, String sessionId, String tokenId, Instant issuedAt, Instant expiresAt) {}
