package io.connectorhub.app;

import io.connectorhub.accounts.AccountRoutes;
import io.connectorhub.accounts.Accounts;
import io.connectorhub.agent.AgentLoop;
import io.connectorhub.agent.AgentRouter;
import io.connectorhub.agent.Agents;
import io.connectorhub.app.admin.AdminSetup;
import io.connectorhub.app.admin.LiveAdminRoutes;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.console.Console;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The whole hub, assembled from a {@link HubConfig}: the core runtime, every channel enabled in the configuration (whose
 * sections are those of the installed channel modules, found by the {@link ConfigLoader}), the agent loop, the admin
 * API and the webhooks. {@link #close()} is idempotent.
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
            Accounts accounts = AccountsSetup.open(runtime, config, System.out);
            runtime.users(accounts, accounts::revoked);
            for (ChannelSection<?> channel : config.channels().enabled())
                runtime.addChannel(channel.create(runtime.channelContext()));
            AdminAuth adminAuth = AdminSetup.install(runtime, config, System.out, accounts);
            AccountRoutes accountRoutes = AccountsSetup.mount(runtime, accounts, adminAuth);
            ConfigLoader loader = new ConfigLoader(System.getenv());
            LiveAdminRoutes.install(runtime, config, configFile, loader, adminAuth);
            runtime.addRoutes(Console.load()::mount);
            AgentRouter agents = Agents.install(
                    runtime,
                    config,
                    configFile,
                    loader,
                    adminAuth,
                    accountRoutes::signedIn,
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
            StartupLog.write(config, runtime, System.getenv("HUB_LOG_FORMAT"));
            return new Hub(runtime);
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
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
