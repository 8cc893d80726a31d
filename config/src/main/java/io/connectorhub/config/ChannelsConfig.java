package io.connectorhub.config;

/** One section per channel kind. */
public record ChannelsConfig(WebSocketConfig websocket, DiscordConfig discord) implements Section {
    @Override
    public void check(String path, Problems problems) {
        websocket.check(path + ".websocket", problems);
        discord.check(path + ".discord", problems);
    }
}
