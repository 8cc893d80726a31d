package io.connectorhub.app;

import io.connectorhub.accounts.AccountRoutes;
import io.connectorhub.accounts.Accounts;
import io.connectorhub.agent.Assembly;
import io.connectorhub.app.admin.AdminSetup;
import io.connectorhub.app.admin.LiveAdminRoutes;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.console.Console;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The whole hub, assembled from a {@link HubConfig}: the core runtime, every channel enabled in the configuration (whose
 * sections are those of the installed channel modules, found by the {@link ConfigLoader}), the agents and the agent
 * loop (the {@link Assembly}), the admin API and the webhooks. {@link #close()} is idempotent.
 */
public final class Hub implements AutoCloseable {
    private final HubRuntime runtime;

    private Hub(HubRuntime runtime) {
        this.runtime = runtime;
    }

    public static Hub start(HubConfig config, Clock clock) throws Exception {
        return start(config, Assembly.Options.of(clock));
    }

    /** @param configFile the file {@code config} was read from, watched for agent and routing changes; or null */
    public static Hub start(HubConfig config, Path configFile, Clock clock) throws Exception {
        return start(config, Assembly.Options.of(clock).withConfigFile(configFile));
    }

    /** Starts the hub with {@code options} (a test's clock or agents, for one); once it returns, the hub is ready. */
    public static Hub start(HubConfig config, Assembly.Options options) throws Exception {
        Assembly assembly = Assembly.open(config, options);
        HubRuntime runtime = assembly.runtime();
        try {
            Accounts accounts = AccountsSetup.open(runtime, config, System.out);
            runtime.users(accounts, accounts::revoked, accounts::heard);
            runtime.linkedSenders(accounts.links());
            LiveAdminRoutes live = LiveAdminRoutes.install(runtime, config, options.configFile(), options.loader());
            AdminAuth adminAuth = AdminSetup.install(runtime, config, System.out, assembly.gateways(), live, accounts);
            AccountRoutes accountRoutes = AccountsSetup.mount(runtime, accounts, adminAuth);
            runtime.addRoutes(Console.load()::mount);
            assembly.mountAgentsApi(accountRoutes::signedIn);
            assembly.start();
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
