package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The WebSocket / JSON-RPC channel at {@code /ws}.
 *
 * @param maxUnauthenticatedPerIp connections one client IP may hold open before authenticating; more are refused
 *     with 429 on the upgrade
 */
public record WebSocketConfig(
        boolean enabled,
        String token,
        List<String> allowFrom,
        int maxMessageBytes,
        int rateLimitPerMinute,
        int maxConnections,
        Duration pingInterval,
        Duration authTimeout,
        int maxPendingBytes,
        List<String> allowedOrigins,
        int maxUnauthenticatedPerIp)
        implements Section {

    public WebSocketConfig {
        token = token == null ? "" : token;
        allowFrom = allowFrom == null ? List.of() : List.copyOf(allowFrom);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    @Override
    public void check(String path, Problems problems) {
        if (!enabled) return;
        problems.require(
                token.isEmpty() || token.length() >= 16,
                path + ".token",
                "is shorter than 16 characters: use a long random value (or leave it empty to have one generated)");
        problems.require(
                !allowFrom.isEmpty(),
                path + ".allowFrom",
                "is empty, so nobody could chat: use [\"*\"] (the token is the gate) or list client ids");
        problems.range(maxMessageBytes, 1024, 64L << 20, path + ".maxMessageBytes");
        problems.range(rateLimitPerMinute, 1, 1_000_000, path + ".rateLimitPerMinute");
        problems.range(maxConnections, 1, 1_000_000, path + ".maxConnections");
        problems.positive(pingInterval, path + ".pingInterval");
        problems.positive(authTimeout, path + ".authTimeout");
        problems.range(maxPendingBytes, 1024, 1L << 30, path + ".maxPendingBytes");
        problems.range(maxUnauthenticatedPerIp, 1, 1_000_000, path + ".maxUnauthenticatedPerIp");
    }

    @Override
    public String toString() {
        return "WebSocketConfig[enabled=" + enabled + ", token=" + (token.isEmpty() ? "<generated>" : "<set>") + "]";
    }
}
