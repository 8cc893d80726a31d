package io.connectorhub.agent;

import io.connectorhub.agent.llm.OpenAiAgent;
import io.connectorhub.agent.remote.Gateways;
import io.connectorhub.agent.remote.RemoteAgent;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.config.RoutingConfig;
import io.connectorhub.core.Urls;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.net.TargetGuard;
import io.javalin.http.Handler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import okhttp3.Dns;

/** Builds the agents of a configuration and plugs them, their routing and the gateway API into a runtime. */
public final class Agents {
    private Agents() {}

    /** How an {@link AgentRouter} makes each kind of agent; every call of one is timed under its id. */
    public static AgentRouter.Factory factory(HubRuntime runtime, Gateways gateways) {
        BuiltinAgent builtin = new BuiltinAgent();
        return (id, config) -> new TimedAgent(
                id,
                switch (config.type()) {
                    case AgentConfig.OPENAI ->
                        new OpenAiAgent(
                                id, config, runtime.channelContext().http(), runtime.sessions(), runtime.clock());
                    case AgentConfig.REMOTE -> new RemoteAgent(id, config, gateways);
                    default -> builtin;
                },
                runtime.metrics());
    }

    /**
     * Sets up agents for {@code runtime} (before it starts): the gateway registry and its routes (admin routes
     * guarded by {@code auth}), the router, the agents' routes for signed-in users (guarded by {@code signedIn}), and,
     * when {@code configFile} is given, a watcher that re-reads it and swaps agents and routing when it changes.
     *
     * @return the router, to hand to the {@link AgentLoop}
     */
    public static AgentRouter install(
            HubRuntime runtime,
            HubConfig config,
            Path configFile,
            ConfigLoader loader,
            AdminAuth auth,
            UnaryOperator<Handler> signedIn,
            Random random,
            Duration watchInterval) {
        Gateways gateways = new Gateways(
                runtime::state,
                runtime.channelContext().http(),
                new TargetGuard(config.gateways().allowPrivateTargets(), "gateways.allowPrivateTargets", Dns.SYSTEM),
                runtime.clock(),
                config.gateways().heartbeatTimeout(),
                () -> callbackBase(config, runtime),
                random);
        runtime.addService(gateways);
        runtime.addRoutes(routes -> gateways.mount(routes, auth));
        AgentRouter router = new AgentRouter(config, factory(runtime, gateways));
        AgentDirectory directory =
                new AgentDirectory(router, gateways, config.gateways().heartbeatTimeout(), runtime.clock());
        runtime.addRoutes(routes -> directory.mount(routes, signedIn));
        if (configFile != null)
            runtime.addService(new ConfigWatcher(configFile, loader, router::update, watchInterval));
        return router;
    }

    /**
     * The agents in one line for the log, never with a secret, e.g. {@code builtin (builtin), gpt (openai,
     * gpt-4o-mini at https://api.openai.com/v1), far (remote, any gateway)}.
     */
    public static String describe(Map<String, AgentConfig> agents) {
        List<String> parts = new ArrayList<>();
        agents.forEach((id, a) -> parts.add(id + " ("
                + switch (a.type()) {
                    case AgentConfig.OPENAI -> "openai, " + a.model() + " at " + Urls.withoutCredentials(a.baseUrl());
                    case AgentConfig.REMOTE ->
                        "remote, "
                                + (a.gateways().isEmpty()
                                        ? "any gateway"
                                        : "gateways " + String.join(", ", a.gateways()));
                    default -> a.type();
                }
                + ")"));
        return String.join(", ", parts);
    }

    /** The routing in one line for the log, e.g. {@code default builtin, 2 bindings}. */
    public static String describe(RoutingConfig routing) {
        int n = routing.bindings().size();
        return "default " + routing.defaultAgent() + ", " + n + (n == 1 ? " binding" : " bindings");
    }

    private static String callbackBase(HubConfig config, HubRuntime runtime) {
        if (!config.gateways().callbackUrl().isEmpty()) return config.gateways().callbackUrl();
        return config.server().localUrl(runtime.port());
    }
}
