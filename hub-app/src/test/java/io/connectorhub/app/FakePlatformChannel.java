package io.connectorhub.app;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.PlatformWebhook;
import io.connectorhub.core.Problems;
import java.net.URL;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel whose platform takes webhook registrations, standing in for Telegram and Feishu in the admin API tests:
 * it keeps what was registered, and refuses URLs on ports the platform would not call.
 */
final class FakePlatformChannel extends BaseChannel implements PlatformWebhook {
    static final String NAME = "fakeplatform";
    private volatile Status status = new Status("polling", null, false, null);

    FakePlatformChannel(CommonChannelSettings common) {
        super(NAME, common.allowList());
    }

    /** {@code channels.fakeplatform}: enabled and open to anyone by default, with no settings of its own. */
    static final class Factory implements ChannelFactory<Factory.Settings> {
        /** The channel this factory made last, for a test to reach. */
        final AtomicReference<FakePlatformChannel> created = new AtomicReference<>();

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
            return FakePlatformChannel.class.getResource("fakeplatform.yaml");
        }

        @Override
        public BaseChannel create(CommonChannelSettings common, Settings settings, ChannelContext context) {
            FakePlatformChannel channel = new FakePlatformChannel(common);
            created.set(channel);
            return channel;
        }
    }

    /** Marks the running channel failed with {@code problem}, as a platform that revoked the token does. */
    void breakWith(String problem) {
        reportFailure(problem);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public void send(OutboundMessage message) {}

    @Override
    public Status webhookStatus() {
        return status;
    }

    @Override
    public void registerWebhook(String publicUrl) {
        if (publicUrl.contains(":9999")) throw new IllegalArgumentException("port 9999 is not one the platform calls");
        status = new Status("webhook", publicUrl, true, null);
    }

    @Override
    public void unregisterWebhook() {
        status = new Status("polling", null, false, null);
    }
}
