package io.connectorhub.accounts;

import java.util.Optional;

/** What a user may do: {@code admin} manages the hub and its users, {@code user} uses it. */
public enum Role {
    ADMIN("admin"),
    USER("user");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name in tokens, JSON and the configuration: {@code admin} or {@code user}. */
    public String wireName() {
        return wireName;
    }

    /** The role named {@code name} ({@code admin} or {@code user}, exactly), or empty. */
    public static Optional<Role> parse(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) return Optional.of(role);
        }
        return Optional.empty();
    }
}
