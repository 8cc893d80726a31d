package io.connectorhub.config;

import io.connectorhub.core.Problems;
import java.util.List;

/**
 * Which agent answers which conversation. The most specific binding wins: one naming the sender ({@code peer}),
 * then one naming the chat, then one naming only the channel, then {@code defaultAgent}. A binding's {@code chat}
 * and {@code peer} may be combined with {@code channel}, which makes it more specific than without. Among bindings
 * equally specific, the first listed wins.
 */
public record RoutingConfig(String defaultAgent, List<Binding> bindings, List<String> choosable) {

    /** One rule: messages matching every field it sets go to {@code agent}. */
    public record Binding(String agent, String channel, String chat, String peer) {
        /** Peer counts 4, chat 2, channel 1: any peer binding beats any chat binding, and so on. */
        public int specificity() {
            return (peer != null ? 4 : 0) + (chat != null ? 2 : 0) + (channel != null ? 1 : 0);
        }
    }

    public RoutingConfig {
        defaultAgent = defaultAgent == null ? AgentConfig.BUILTIN : defaultAgent;
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
        choosable = choosable == null ? List.of() : List.copyOf(choosable);
    }

    /** Whether users may choose agent {@code id} ({@code choosable}; empty: every agent). */
    public boolean isChoosable(String id) {
        return choosable.isEmpty() || choosable.contains(id);
    }

    /** Checks the references to {@code agents}. */
    void check(String path, java.util.Set<String> agents, Problems problems) {
        String known = "; defined agents: " + String.join(", ", new java.util.TreeSet<>(agents));
        problems.require(
                agents.contains(defaultAgent),
                path + ".defaultAgent",
                "names an agent that is not defined under agents" + known);
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            String at = path + ".bindings[" + i + "]";
            if (b.agent() == null || b.agent().isBlank()) problems.add(at + ".agent", "is missing: name an agent");
            else
                problems.require(
                        agents.contains(b.agent()),
                        at + ".agent",
                        "names an agent that is not defined under agents" + known);
            problems.require(
                    b.specificity() > 0, at, "matches everything: set channel, chat and/or peer (or use defaultAgent)");
        }
        for (int i = 0; i < choosable.size(); i++) {
            problems.require(
                    agents.contains(choosable.get(i)),
                    path + ".choosable[" + i + "]",
                    "names an agent that is not defined under agents" + known);
        }
    }
}
