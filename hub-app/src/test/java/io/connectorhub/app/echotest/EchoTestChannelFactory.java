package io.connectorhub.app.echotest;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.CommonChannelSettings;

/**
 * The echo test channel, {@code channels.echoTest}: installed in hub-app's tests through
 * {@code src/test/resources/META-INF/services/io.connectorhub.core.ChannelFactory}, as a channel module is.
 */
public final class EchoTestChannelFactory implements ChannelFactory<EchoTestSettings> {
    @Override
    public String name() {
        return EchoTestChannel.NAME;
    }

    @Override
    public Class<EchoTestSettings> settingsType() {
        return EchoTestSettings.class;
    }

    @Override
    public BaseChannel create(CommonChannelSettings common, EchoTestSettings settings, ChannelContext context) {
        return new EchoTestChannel(common, settings, context);
    }
}
