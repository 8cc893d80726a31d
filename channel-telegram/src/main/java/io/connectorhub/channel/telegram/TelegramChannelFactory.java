package io.connectorhub.channel.telegram;

import io.connectorhub.config.HubConfig;
import io.connectorhub.config.TelegramConfig;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import java.util.Optional;

/** Creates the Telegram channel from {@code channels.telegram}. */
public final class TelegramChannelFactory implements ChannelFactory<HubConfig> {
    @Override
    public Optional<BaseChannel> create(HubConfig hub, ChannelContext context) {
        TelegramConfig config = hub.channels().telegram();
        if (!config.enabled()) return Optional.empty();
        return Optional.of(new TelegramChannel(config, context));
    }
}
