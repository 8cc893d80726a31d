package io.connectorhub.config;

import io.connectorhub.core.Problems;
import io.connectorhub.core.internal.HubRuntime;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole hub configuration, as read from {@code hub.yaml} over {@code defaults.yaml} and the installed channel
 * modules' defaults. Immutable.
 */
public record HubConfig(
        ServerConfig server,
        StoreConfig store,
        BusConfig bus,
        AgentLoopConfig agentLoop,
        RecoveryConfig recovery,
        ClusterConfig cluster,
        AdminConfig admin,
        AuthConfig auth,
        WebhooksConfig webhooks,
        ChannelsConfig channels,
        Map<String, AgentConfig> agents,
        RoutingConfig routing,
        GatewaysConfig gateways,
        SessionsConfig sessions)
        implements Section {

    public HubConfig {
        agents = agents == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(agents));
        routing = routing == null ? new RoutingConfig(null, null, null) : routing;
        channels = channels == null ? new ChannelsConfig(List.of()) : channels;
        sessions = sessions == null ? new SessionsConfig(false) : sessions;
    }

    /** This configuration with {@code channels} instead of its channel sections. */
    public HubConfig withChannels(ChannelsConfig channels) {
        return new HubConfig(
                server, store, bus, agentLoop, recovery, cluster, admin, auth, webhooks, channels, agents, routing,
                gateways, sessions);
    }

    /** The settings of the core runtime, taken from this configuration. */
    public HubRuntime.Settings runtimeSettings() {
        return new HubRuntime.Settings(
                server.host(),
                server.port(),
                server.maxRequestBytes(),
                Path.of(store.dataDir()),
                store.postgres() ? store.url().strip() : null,
                store.poolSize(),
                bus.inboundCapacity(),
                bus.outboundCapacity(),
                bus.publishTimeout(),
                bus.sendConcurrency(),
                store.retention(),
                agentLoop.lease(),
                recovery.maxMessageAge(),
                recovery.maxReplyAge(),
                admin.authFailuresPerMinute(),
                server.trustedProxies(),
                cluster.heartbeat(),
                cluster.deadAfter());
    }

    @Override
    public void check(String path, Problems problems) {
        server.check("server", problems);
        store.check("store", problems);
        bus.check("bus", problems);
        agentLoop.check("agentLoop", problems);
        recovery.check("recovery", problems);
        cluster.check("cluster", problems);
        admin.check("admin", problems);
        auth.check("auth", problems);
        webhooks.check("webhooks", problems);
        channels.check("channels", problems);
        agents.forEach((id, agent) -> {
            problems.require(
                    id.matches("[A-Za-z0-9_.-]{1,64}"),
                    "agents." + id,
                    "agent ids are 1-64 characters of A-Za-z0-9_.-");
            if (agent == null) problems.add("agents." + id, "is empty: give at least type");
            else agent.check("agents." + id, problems);
        });
        routing.check("routing", agents.keySet(), problems);
        gateways.check("gateways", problems);
        sessions.check("sessions", problems);
        if (auth.registration() == AuthConfig.Registration.OPEN) refuseOpenLinking(problems);
    }

    /**
     * With open registration, anyone could register, link a chat account and chat through the bot: a channel that
     * lets linked senders in only because {@code allowLinked} defaults to true is refused.
     */
    private void refuseOpenLinking(Problems problems) {
        for (ChannelSection<?> s : channels.enabled()) {
            if (!s.common().allowsLinked() || s.common().allowLinked() != null) continue;
            String path = "channels." + s.name() + ".allowLinked";
            problems.add(
                    path,
                    "is true by default, and auth.registration is open, so anyone could register, link their "
                            + s.name() + " account and chat through the bot: set " + path + ": false, write "
                            + path + ": true if that is meant, or set auth.registration to invite or closed");
        }
    }
}
