package io.connectorhub.agent;

import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.config.RoutingConfig;
import io.connectorhub.core.InboundMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the agent for each message from {@code agents} and {@code routing}: the most specific matching binding
 * wins (peer, then chat, then channel; the first listed among equals), else {@code routing.defaultAgent}.
 * {@link #update} swaps agents and bindings at once (readers see the old table or the new one, never a mix); an
 * agent whose configuration did not change is kept, with its circuit breaker state. Thread-safe.
 */
public final class AgentRouter implements Function<InboundMessage, Agent> {
    private static final Logger log = LoggerFactory.getLogger(AgentRouter.class);

    /** Builds the agent for {@code agents.<id>}. */
    @FunctionalInterface
    public interface Factory {
        Agent create(String id, AgentConfig config);
    }

    private record Table(Map<String, AgentConfig> configs, Map<String, Agent> agents, RoutingConfig routing) {}

    private final Factory factory;
    private volatile Table table;

    public AgentRouter(HubConfig config, Factory factory) {
        this.factory = factory;
        this.table = build(config, Map.of(), Map.of());
    }

    /** Replaces agents and bindings with those of {@code config} (already validated by the loader). */
    public synchronized void update(HubConfig config) {
        Table old = table;
        table = build(config, old.configs(), old.agents());
        log.info("Agents now: {}; routing: {}", Agents.describe(config.agents()), Agents.describe(config.routing()));
    }

    private Table build(HubConfig config, Map<String, AgentConfig> oldConfigs, Map<String, Agent> oldAgents) {
        Map<String, Agent> agents = new HashMap<>();
        config.agents().forEach((id, c) -> {
            Agent kept = c.equals(oldConfigs.get(id)) ? oldAgents.get(id) : null;
            agents.put(id, kept != null ? kept : factory.create(id, c));
        });
        return new Table(config.agents(), Map.copyOf(agents), config.routing());
    }

    @Override
    public Agent apply(InboundMessage message) {
        Table t = table;
        return t.agents().get(route(t.routing(), message));
    }

    /** The agents configured now, by id (they change when the configuration is reloaded). */
    public Map<String, AgentConfig> configs() {
        return table.configs();
    }

    /** The routing configured now. */
    public RoutingConfig routing() {
        return table.routing();
    }

    /** The id of the agent that answers {@code message}. */
    public String route(InboundMessage message) {
        return route(table.routing(), message);
    }

    private static String route(RoutingConfig routing, InboundMessage m) {
        RoutingConfig.Binding best = null;
        for (RoutingConfig.Binding b : routing.bindings()) {
            if (!matches(b, m)) continue;
            if (best == null || b.specificity() > best.specificity()) best = b;
        }
        return best != null ? best.agent() : routing.defaultAgent();
    }

    private static boolean matches(RoutingConfig.Binding b, InboundMessage m) {
        return (b.channel() == null || b.channel().equals(m.channel()))
                && (b.chat() == null || b.chat().equals(m.chatId()))
                && (b.peer() == null || b.peer().equals(m.senderId()));
    }
}
