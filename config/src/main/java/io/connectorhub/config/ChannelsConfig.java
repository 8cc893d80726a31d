package io.connectorhub.config;

/** One section per channel kind. */
public record ChannelsConfig(WebSocketConfig websocket, FeishuConfig feishu) implements Section {
    @Override
    public void check(String path, Problems problems) {
        websocket.check(path + ".websocket", problems);
        feishu.check(path + ".feishu", problems);
    }
}
