package io.connectorhub.channel.websocket;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The WebSocket / JSON-RPC channel's own settings ({@code channels.websocket}), the channel at {@code /ws}. Its
 * {@code allowFrom} (client ids, or {@code "*"}: the token is the gate) is among the common settings; it has no
 * groups, so no {@code groupPolicy}.
 *
 * @param maxUnauthenticatedPerIp connections one client IP may hold open before authenticating; more are refused
 *     with 429 on the upgrade
 */
public record WebSocketSettings(
        String token,
        int maxMessageBytes,
        int rateLimitPerMinute,
        int maxConnections,
        Duration pingInterval,
        Duration authTimeout,
        int maxPendingBytes,
        List<String> allowedOrigins,
        int maxUnauthenticatedPerIp)
        implements ChannelSettings {

    public WebSocketSettings {
        token = token == null ? "" : token;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        problems.require(
                token.isEmpty() || token.length() >= 16,
                path + ".token",
                "is shorter than 16 characters: use a long random value (or leave it empty to have one generated)");
        common.requireAllowFrom(path, "use [\"*\"] (the token is the gate) or list client ids", problems);
        problems.range(maxMessageBytes, 1024, 64L << 20, path + ".maxMessageBytes");
        problems.range(rateLimitPerMinute, 1, 1_000_000, path + ".rateLimitPerMinute");
        problems.range(maxConnections, 1, 1_000_000, path + ".maxConnections");
        problems.positive(pingInterval, path + ".pingInterval");
        problems.positive(authTimeout, path + ".authTimeout");
        problems.range(maxPendingBytes, 1024, 1L << 30, path + ".maxPendingBytes");
        problems.range(maxUnauthenticatedPerIp, 1, 1_000_000, path + ".maxUnauthenticatedPerIp");
    }

    @Override
    public List<String> secrets() {
        return List.of(token);
    }

    @Override
    public String toString() {
        return "WebSocketSettings[token=" + (token.isEmpty() ? "<generated>" : "<set>") + "]";
    }
}
