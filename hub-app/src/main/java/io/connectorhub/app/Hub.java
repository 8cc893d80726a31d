package io.connectorhub.app;

import io.connectorhub.agent.AgentLoop;
import io.connectorhub.agent.AgentRouter;
import io.connectorhub.agent.Agents;
import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.AdminAuth;
import io.connectorhub.core.ChannelFactory;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.HubRuntime;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The whole hub, assembled from a {@link HubConfig}: the core runtime, every channel whose factory is on the class
 * path and enabled in the configuration, and the agent loop. {@link #close()} is idempotent.
 */
public final class Hub implements AutoCloseable {
    private final HubRuntime runtime;

    private Hub(HubRuntime runtime) {
        this.runtime = runtime;
    }

    public static Hub start(HubConfig config, Clock clock) throws Exception {
        return start(config, null, clock);
    }

    /** @param configFile the file {@code config} was read from, watched for agent and routing changes; or null */
    public static Hub start(HubConfig config, Path configFile, Clock clock) throws Exception {
        HubRuntime runtime = HubRuntime.open(config.runtimeSettings(), clock);
        try {
            for (ChannelFactory<HubConfig> factory : factories()) {
                factory.create(config, runtime.channelContext()).ifPresent(runtime::addChannel);
            }
            AdminAuth adminAuth = adminAuth(config);
            AgentRouter agents = Agents.install(
                    runtime,
                    config,
                    configFile,
                    new ConfigLoader(System.getenv()),
                    adminAuth,
                    new SecureRandom(),
                    Duration.ofSeconds(1));
            runtime.addService(new AgentLoop(
                    runtime.bus(),
                    runtime.inbox(),
                    runtime.sessions(),
                    runtime.channels()::isAllowed,
                    agents,
                    runtime.metrics(),
                    new AgentLoop.Settings(
                            config.agentLoop().concurrency(),
                            config.agentLoop().maxHistory(),
                            config.agentLoop().lease())));
            runtime.start();
            return new Hub(runtime);
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
    }

    /** The admin API's tokens: those configured, else one generated on first run and kept in the data directory. */
    static AdminAuth adminAuth(HubConfig config) {
        List<AdminAuth.Token> tokens = new ArrayList<>();
        for (AdminConfig.TokenConfig t : config.admin().tokens())
            tokens.add(new AdminAuth.Token(t.token(), Set.copyOf(t.scopes())));
        if (tokens.isEmpty()) {
            String generated = GeneratedSecret.loadOrCreate(
                    Path.of(config.store().dataDir()).resolve("admin.token"),
                    "token for the admin API",
                    "admin.tokens",
                    System.out);
            tokens.add(new AdminAuth.Token(generated, Set.of(AdminAuth.READ, AdminAuth.WRITE)));
        }
        return new AdminAuth(tokens, config.admin().authFailuresPerMinute());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Iterable<ChannelFactory<HubConfig>> factories() {
        return (Iterable) ServiceLoader.load(ChannelFactory.class);
    }

    public int port() {
        return runtime.port();
    }

    public HubRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
