package io.connectorhub.channel.discord;

import io.connectorhub.config.DiscordConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import java.util.Optional;

/** Creates the Discord channel from {@code channels.discord}. */
public final class DiscordChannelFactory implements ChannelFactory<HubConfig> {
    @Override
    public Optional<BaseChannel> create(HubConfig hub, ChannelContext context) {
        DiscordConfig config = hub.channels().discord();
        if (!config.enabled()) return Optional.empty();
        return Optional.of(new DiscordChannel(config, context));
    }
}
