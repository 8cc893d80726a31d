package io.connectorhub.agent;

import io.connectorhub.agent.llm.OpenAiAgent;
import io.connectorhub.agent.remote.Gateways;
import io.connectorhub.agent.remote.RemoteAgent;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.RoutingConfig;
import io.connectorhub.core.Urls;
import io.connectorhub.core.internal.HubRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the agents of a configuration, and describes them and their routing for the log. */
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
}
