package io.connectorhub.config;

import io.connectorhub.core.HubRuntime;
import java.nio.file.Path;

/** The whole hub configuration, as read from {@code hub.yaml} over {@code defaults.yaml}. Immutable. */
public record HubConfig(
        ServerConfig server,
        StoreConfig store,
        BusConfig bus,
        AgentLoopConfig agentLoop,
        AdminConfig admin,
        WebhooksConfig webhooks,
        ChannelsConfig channels)
        implements Section {

    /** The settings of the core runtime, taken from this configuration. */
    public HubRuntime.Settings runtimeSettings() {
        return new HubRuntime.Settings(
                server.host(),
                server.port(),
                server.maxRequestBytes(),
                Path.of(store.dataDir()),
                bus.inboundCapacity(),
                bus.outboundCapacity(),
                bus.publishTimeout(),
                bus.sendConcurrency(),
                store.retention());
    }

    @Override
    public void check(String path, Problems problems) {
        server.check("server", problems);
        store.check("store", problems);
        bus.check("bus", problems);
        agentLoop.check("agentLoop", problems);
        admin.check("admin", problems);
        webhooks.check("webhooks", problems);
        channels.check("channels", problems);
    }
}
