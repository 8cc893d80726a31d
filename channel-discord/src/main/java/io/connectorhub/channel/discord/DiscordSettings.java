package io.connectorhub.channel.discord;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.Problems;
import java.time.Duration;
import java.util.List;

/**
 * The Discord bot channel's own settings ({@code channels.discord}). Its {@code allowFrom} (Discord user ids, or
 * {@code "*"}) and {@code groupPolicy} (for server channels; {@code disabled}: DMs only) are among the common settings.
 *
 * @param token the bot token from the developer portal (never shown by {@link #toString()})
 * @param allowChannels server channel ids the bot listens in (a thread counts as its parent channel); empty: all
 * @param apiUrl the REST base URL (tests point it at a local fake)
 * @param gatewayUrl the gateway WebSocket URL; empty: asked from {@code GET /gateway/bot}
 * @param streamEditInterval how often a streamed reply's message is edited at most
 */
public record DiscordSettings(
        String token, List<String> allowChannels, String apiUrl, String gatewayUrl, Duration streamEditInterval)
        implements ChannelSettings {

    public DiscordSettings {
        token = token == null ? "" : token.strip();
        allowChannels = allowChannels == null ? List.of() : List.copyOf(allowChannels);
        apiUrl = apiUrl == null ? "" : apiUrl.strip();
        gatewayUrl = gatewayUrl == null ? "" : gatewayUrl.strip();
    }

    @Override
    public void check(String path, CommonChannelSettings common, Problems problems) {
        problems.require(
                !token.isEmpty(),
                path + ".token",
                "is missing: set DISCORD_BOT_TOKEN or " + path + ".token in hub.yaml (Bot > Reset Token in the"
                        + " Discord developer portal)");
        common.requireAllowFrom(path, "list Discord user ids (Developer Mode > Copy User ID) or use [\"*\"]", problems);
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
    public List<String> secrets() {
        return List.of(token);
    }

    @Override
    public String toString() {
        return "DiscordSettings[token=" + (token.isEmpty() ? "<missing>" : "<set>") + ", allowChannels="
                + allowChannels.size() + " ids, apiUrl=" + apiUrl + "]";
    }
}
