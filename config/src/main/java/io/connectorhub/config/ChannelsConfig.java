package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.util.Set;

/** One section per channel kind. */
public record ChannelsConfig(
        WebSocketConfig websocket, TelegramConfig telegram, DiscordConfig discord, FeishuConfig feishu)
        implements Section {
    /** How a channel with groups treats group messages ({@code groupPolicy}); the default answers @mentions. */
    public static final Set<String> GROUP_POLICIES = Set.of("mention", "open", "disabled");

    public static final String DEFAULT_GROUP_POLICY = "mention";

    @Override
    public void check(String path, Problems problems) {
        websocket.check(path + ".websocket", problems);
        telegram.check(path + ".telegram", problems);
        discord.check(path + ".discord", problems);
        feishu.check(path + ".feishu", problems);
    }
}
