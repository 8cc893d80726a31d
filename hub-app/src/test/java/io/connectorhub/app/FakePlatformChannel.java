package io.connectorhub.app;

import io.connectorhub.config.HubConfig;
import io.connectorhub.core.AllowList;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.PlatformWebhook;
import java.util.Optional;

/**
 * A channel whose platform takes webhook registrations, standing in for Telegram and Feishu in the admin API tests:
 * it keeps what was registered, and refuses URLs on ports the platform would not call.
 */
final class FakePlatformChannel extends BaseChannel implements PlatformWebhook {
    static final String NAME = "fakeplatform";
    private volatile Status status = new Status("polling", null, false, null);

    FakePlatformChannel() {
        super(NAME, AllowList.anyone());
    }

    static ChannelFactory<HubConfig> factory() {
        return (config, context) -> Optional.of(new FakePlatformChannel());
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
