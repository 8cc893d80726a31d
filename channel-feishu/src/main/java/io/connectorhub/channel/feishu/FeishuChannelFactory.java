package io.connectorhub.channel.feishu;

import io.connectorhub.config.FeishuConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import java.util.Optional;

/** Creates the Feishu / Lark channel from {@code channels.feishu}. */
public final class FeishuChannelFactory implements ChannelFactory<HubConfig> {
    @Override
    public Optional<BaseChannel> create(HubConfig hub, ChannelContext context) {
        FeishuConfig config = hub.channels().feishu();
        if (!config.enabled()) return Optional.empty();
        return Optional.of(new FeishuChannel(config, context));
    }
}
