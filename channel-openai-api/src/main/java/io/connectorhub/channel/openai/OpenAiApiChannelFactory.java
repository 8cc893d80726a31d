package io.connectorhub.channel.openai;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;

/** The OpenAI-compatible API, {@code channels.openaiApi}. */
public final class OpenAiApiChannelFactory implements ChannelFactory<OpenAiApiSettings> {
    @Override
    public String name() {
        return OpenAiApiChannel.NAME;
    }

    @Override
    public Class<OpenAiApiSettings> settingsType() {
        return OpenAiApiSettings.class;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, OpenAiApiSettings settings, ChannelContext context) {
        return new OpenAiApiChannel(common, settings, context);
    }
}
