package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The Discord bot channel.
 *
 * @param token the bot token from the developer portal (never shown by {@link #toString()})
 * @param allowFrom Discord user ids that may chat, or {@code "*"}
 * @param groupPolicy in server channels: {@code mention} (answer when mentioned or replied to), {@code open} (answer
 *     every message), {@code disabled} (ignore server channels; DMs only)
 * @param allowChannels server channel ids the bot listens in (a thread counts as its parent channel); empty: all
 * @param apiUrl the REST base URL (tests point it at a local fake)
 * @param gatewayUrl the gateway WebSocket URL; empty: asked from {@code GET /gateway/bot}
 * @param streamEditInterval how often a streamed reply's message is edited at most
 */
public record DiscordConfig(
        boolean enabled,
        String token,
        List<String> allowFrom,
        String groupPolicy,
        List<String> allowChannels,
        String apiUrl,
        String gatewayUrl,
        Duration streamEditInterval)
        implements Section {

    public DiscordConfig {
        token = token == null ? "" : token.strip();
        allowFrom = allowFrom == null ? List.of() : List.copyOf(allowFrom);
        groupPolicy = groupPolicy == null ? ChannelsConfig.DEFAULT_GROUP_POLICY : groupPolicy;
        allowChannels = allowChannels == null ? List.of() : List.copyOf(allowChannels);
        apiUrl = apiUrl == null ? "" : apiUrl.strip();
        gatewayUrl = gatewayUrl == null ? "" : gatewayUrl.strip();
    }

    @Override
    public void check(String path, Problems problems) {
        if (!enabled) return;
        problems.require(
                !token.isEmpty(),
                path + ".token",
                "is missing: set DISCORD_BOT_TOKEN or " + path + ".token in hub.yaml (Bot > Reset Token in the"
                        + " Discord developer portal)");
        problems.require(
                !allowFrom.isEmpty(),
                path + ".allowFrom",
                "is empty, so nobody could chat: list Discord user ids (Developer Mode > Copy User ID) or use [\"*\"]");
        problems.require(
                ChannelsConfig.GROUP_POLICIES.contains(groupPolicy),
                path + ".groupPolicy",
                "must be mention, open or disabled");
        problems.require(
                apiUrl.startsWith("http://") || apiUrl.startsWith("https://"),
                path + ".apiUrl",
                "must be an http(s) URL such as https://discord.com/api/v10/");
        problems.require(
                gatewayUrl.isEmpty() || gatewayUrl.startsWith("ws://") || gatewayUrl.startsWith("wss://"),
                path + ".gatewayUrl",
                "must be empty (ask Discord) or a ws(s) URL such as wss://gateway.discord.gg");
        problems.positive(streamEditInterval, path + ".streamEditInterval");
    }

    @Override
    public String toString() {
        return "DiscordConfig[enabled=" + enabled + ", token=" + (token.isEmpty() ? "<missing>" : "<set>")
                + ", allowFrom=" + allowFrom.size() + " ids, groupPolicy=" + groupPolicy + ", apiUrl=" + apiUrl + "]";
    }
}
