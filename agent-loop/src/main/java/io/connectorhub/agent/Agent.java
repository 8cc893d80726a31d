package io.connectorhub.agent;

import java.util.function.Consumer;

/**
 * Produces the reply to one message. Called on a virtual thread, one message of a session at a time; may block.
 * Text handed to {@code stream} is shown to the user as it comes (on channels that stream); the returned text is
 * the whole reply, delivered and kept in the history. Throwing gives the user a generic apology; the loop goes on.
 */
@FunctionalInterface
public interface Agent {
    String respond(AgentRequest request, Consumer<String> stream) throws Exception;

    /**
     * The most history messages this agent uses; the loop reads no more than that (and no more than
     * {@code agentLoop.maxHistory}), since reading the history is a large part of what a message costs.
     */
    default int historyLimit() {
        return Integer.MAX_VALUE;
    }
}
