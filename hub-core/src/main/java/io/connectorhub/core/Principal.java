package io.connectorhub.core;

import java.time.Instant;

/**
 * A signed-in user, as an access token names them: {@code userId}, {@code role} ({@code admin} or {@code user}), the
 * sign-in session ({@code sessionId}) and when the token stops being valid ({@code expiresAt}). Nothing in it is secret.
 */
public record Principal(String userId, String role, String sessionId, Instant expiresAt) {
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }
}
