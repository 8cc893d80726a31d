package io.connectorhub.core;

import java.util.List;

/**
 * Which of the hub's configured agents a sender may name for a message ({@link InboundMessage#agent()}), for channels
 * that let their users choose (an API whose {@code model} names the agent, a console's agent picker). Reflects the
 * configuration in force, hot reloads included. Thread-safe.
 */
@FunctionalInterface
public interface AgentDirectory {
    /**
     * The ids of the agents {@code senderId} on {@code channel} may choose, sorted; empty when the hub has no agents
     * to choose from.
     */
    List<String> choosable(String channel, String senderId);
}
