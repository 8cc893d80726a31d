package io.connectorhub.agent;

import io.connectorhub.agent.remote.GatewayApi;
import io.connectorhub.agent.remote.Gateways;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.net.TargetGuard;
import io.javalin.http.Handler;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import okhttp3.Dns;

/**
 * The hub without its admin side, assembled in this one place for the runnable hub and for the channel modules' test
 * hub (which cannot depend on hub-app): the core runtime, every channel enabled in the configuration, the agents (the
 * gateway registry, the router and, given a config file, its watcher) and the agent loop. {@link #open} starts
 * nothing: the caller adds its own routes and services to {@link #runtime()}, then calls {@link #start()}. The
 * runtime owns and closes all of it.
 */
public final class Assembly {
    private final HubRuntime runtime;
    private final GatewayApi gateways;
    private final AgentsApi agents;
    private final AgentLoop loop;

    private Assembly(HubRuntime runtime, GatewayApi gateways, AgentsApi agents, AgentLoop loop) {
        this.runtime = runtime;
        this.gateways = gateways;
        this.agents = agents;
        this.loop = loop;
    }

    /**
     * What the assembly takes besides the configuration.
     *
     * @param configFile the file the configuration was read from, watched for agent and routing changes; or null
     * @param loader reads {@code configFile} again when it changes
     * @param random chooses among equally good gateways
     * @param watchInterval how often {@code configFile} is looked at
     * @param agents makes the agent of each {@code agents.<id>}; null for the kind its configuration names
     */
    public record Options(
            Clock clock,
            Path configFile,
            ConfigLoader loader,
            Random random,
            Duration watchInterval,
            AgentRouter.Factory agents) {

        /** The system's environment for {@code ${ENV}}, no config file to watch, and the configured agents. */
        public static Options of(Clock clock) {
            return new Options(
                    clock, null, new ConfigLoader(System.getenv()), new SecureRandom(), Duration.ofSeconds(1), null);
        }

        public Options withConfigFile(Path file) {
            return new Options(clock, file, loader, random, watchInterval, agents);
        }

        /** Every configured agent made by {@code factory} (a test's fixed agent, for one). */
        public Options withAgents(AgentRouter.Factory factory) {
            return new Options(clock, configFile, loader, random, watchInterval, factory);
        }
    }

    /** Opens the runtime on {@code config} and adds the channels and agents to it; nothing is started. */
    public static Assembly open(HubConfig config, Options options) {
        HubRuntime runtime = HubRuntime.open(config.runtimeSettings(), options.clock());
        try {
            for (ChannelSection<?> channel : config.channels().enabled())
                runtime.addChannel(channel.create(runtime.channelContext()));
            Gateways gateways = new Gateways(
                    runtime::state,
                    runtime.channelContext().http(),
                    new TargetGuard(
                            config.gateways().allowPrivateTargets(), "gateways.allowPrivateTargets", Dns.SYSTEM),
                    runtime.clock(),
                    config.gateways().heartbeatTimeout(),
                    () -> callbackBase(config, runtime),
                    options.random());
            runtime.addService(gateways);
            AgentRouter router = new AgentRouter(
                    config, options.agents() != null ? options.agents() : Agents.factory(runtime, gateways));
            runtime.useAgents(router);
            if (options.configFile() != null)
                runtime.addService(new ConfigWatcher(
                        options.configFile(), options.loader(), router::update, options.watchInterval()));
            AgentLoop loop = new AgentLoop(
                    runtime.bus(),
                    runtime.inbox(),
                    runtime.sessions(),
                    runtime.channels()::isAllowed,
                    router,
                    runtime.metrics(),
                    new AgentLoop.Settings(
                            config.agentLoop().concurrency(),
                            config.agentLoop().maxHistory(),
                            config.agentLoop().lease()),
                    new AgentLoop.Linking(
                            runtime.linkedSenders(),
                            linkedAllowed(config),
                            config.sessions().shareLinked()));
            return new Assembly(
                    runtime,
                    new GatewayApi(gateways, runtime.channelContext().authFailures()),
                    new AgentsApi(router, gateways, config.gateways().heartbeatTimeout(), runtime.clock()),
                    loop);
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    public HubRuntime runtime() {
        return runtime;
    }

    /** The handlers of the gateway routes, for the caller to mount. */
    public GatewayApi gateways() {
        return gateways;
    }

    /**
     * Mounts {@code GET /api/v1/agents} and {@code GET /api/v1/agents/{id}}, each wrapped by {@code signedIn} (which lets
     * only signed-in users through).
     */
    public void mountAgentsApi(UnaryOperator<Handler> signedIn) {
        runtime.addRoutes(routes -> agents.mount(routes, signedIn));
    }

    /**
     * Adds the agent loop as the last service, so that it stops first and is drained before what it feeds (webhook
     * deliveries, for one), and starts the runtime; once it returns, the hub is ready.
     */
    public void start() throws Exception {
        runtime.addService(loop);
        runtime.start();
    }

    /** The enabled channels that let linked senders chat ({@code channels.<name>.allowLinked}). */
    private static Predicate<String> linkedAllowed(HubConfig config) {
        Set<String> names = config.channels().enabled().stream()
                .filter(s -> s.common().allowsLinked())
                .map(ChannelSection::name)
                .collect(Collectors.toUnmodifiableSet());
        return names::contains;
    }

    private static String callbackBase(HubConfig config, HubRuntime runtime) {
        if (!config.gateways().callbackUrl().isEmpty()) return config.gateways().callbackUrl();
        return config.server().localUrl(runtime.port());
    }
}
