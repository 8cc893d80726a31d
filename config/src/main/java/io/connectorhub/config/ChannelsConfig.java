package io.connectorhub.config;

/** One section per channel kind. */
public record ChannelsConfig(
        WebSocketConfig websocket, TelegramConfig telegram, DiscordConfig discord, FeishuConfig feishu)
        implements Section {
    @Override
    public void check(String path, Problems problems) {
        websocket.check(path + ".websocket", problems);
        telegram.check(path + ".telegram", problems);
        discord.check(path + ".discord", problems);
        feishu.check(path + ".feishu", problems);
    }
}
