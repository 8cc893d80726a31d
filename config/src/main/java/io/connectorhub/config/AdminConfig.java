package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.util.List;

/**
 * Admin API access. With no tokens configured, one token with both scopes is generated on first run and kept in
 * {@code <dataDir>/admin.token}.
 */
public record AdminConfig(List<TokenConfig> tokens, int authFailuresPerMinute) implements Section {
    public static final List<String> SCOPES = List.of("admin.read", "admin.write");

    /** One admin token and its scopes ({@code admin.read}, {@code admin.write}). */
    public record TokenConfig(String token, List<String> scopes) {
        public TokenConfig {
            token = token == null ? "" : token;
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "TokenConfig[scopes=" + scopes + "]";
        }
    }

    public AdminConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    @Override
    public void check(String path, Problems problems) {
        for (int i = 0; i < tokens.size(); i++) {
            TokenConfig t = tokens.get(i);
            String at = path + ".tokens[" + i + "]";
            problems.require(
                    t.token().length() >= 16,
                    at + ".token",
                    "is shorter than 16 characters: use a long random value, e.g. from ${HUB_ADMIN_TOKEN}");
            problems.require(!t.scopes().isEmpty(), at + ".scopes", "is empty: give admin.read and/or admin.write");
            for (int j = 0; j < t.scopes().size(); j++) {
                problems.require(
                        SCOPES.contains(t.scopes().get(j)),
                        at + ".scopes[" + j + "]",
                        "is not a scope; use admin.read or admin.write");
            }
        }
        problems.range(authFailuresPerMinute, 1, 100_000, path + ".authFailuresPerMinute");
    }
}
