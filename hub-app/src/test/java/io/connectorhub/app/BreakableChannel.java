package io.connectorhub.app;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Problems;
import java.net.URL;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel that runs until the test breaks it, as a platform does when it revokes a token: {@link #breakWith} marks
 * it failed with that error while the hub runs. Its factory keeps the channel it made for the test to reach.
 */
final class BreakableChannel extends BaseChannel {
    static final String NAME = "breakable";

    BreakableChannel(CommonChannelSettings common) {
        super(NAME, common.allowList());
    }

    void breakWith(String problem) {
        reportFailure(problem);
    }

    /** {@code channels.breakable}: enabled by default, with no settings of its own. */
    static final class Factory implements ChannelFactory<Factory.Settings> {
        final AtomicReference<BreakableChannel> created = new AtomicReference<>();

        record Settings() implements ChannelSettings {
            @Override
            public void check(String path, CommonChannelSettings common, Problems problems) {}
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public URL defaults() {
            return BreakableChannel.class.getResource("fakeplatform.yaml");
        }

        @Override
        public BaseChannel create(CommonChannelSettings common, Settings settings, ChannelContext context) {
            BreakableChannel channel = new BreakableChannel(common);
            created.set(channel);
            return channel;
        }
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public void send(OutboundMessage message) {}
}
