package io.connectorhub.channel.websocket;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;

/** The WebSocket channel, {@code channels.websocket}. */
public final class WebSocketChannelFactory implements ChannelFactory<WebSocketSettings> {
    @Override
    public String name() {
        return WebSocketChannel.NAME;
    }

    @Override
    public Class<WebSocketSettings> settingsType() {
        return WebSocketSettings.class;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, WebSocketSettings settings, ChannelContext context) {
        return new WebSocketChannel(common, settings, context);
    }
}
