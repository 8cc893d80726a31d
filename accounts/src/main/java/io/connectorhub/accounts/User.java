package io.connectorhub.accounts;

import java.time.Instant;

/**
 * A user as stored. {@code passwordHash} is an Argon2id PHC string: not the password, yet never shown ({@link
 * #toString()} leaves it out).
 */
public record User(
        String id,
        String username,
        String passwordHash,
        String email,
        String displayName,
        Role role,
        boolean active,
        Instant createdAt,
        Instant lastLoginAt) {
    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", role=" + role.wireName() + ", active=" + active + "]";
    }
}
