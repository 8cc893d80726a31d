package io.connectorhub.channel.websocket;

import io.connectorhub.config.HubConfig;
import io.connectorhub.config.WebSocketConfig;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import java.util.Optional;

/** Creates the WebSocket channel from {@code channels.websocket}. */
public final class WebSocketChannelFactory implements ChannelFactory<HubConfig> {
    @Override
    public Optional<BaseChannel> create(HubConfig hub, ChannelContext context) {
        WebSocketConfig config = hub.channels().websocket();
        if (!config.enabled()) return Optional.empty();
        return Optional.of(new WebSocketChannel(config, context));
    }
}
