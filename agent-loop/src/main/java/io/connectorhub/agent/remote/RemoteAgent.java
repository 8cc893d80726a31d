package io.connectorhub.agent.remote;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.config.AgentConfig;
import java.util.function.Consumer;

/**
 * An agent of {@code type: remote}: each message becomes a task on an online gateway (see {@link Gateways}); the
 * call blocks (on the session's virtual thread) until the gateway calls back or {@code timeout} passes.
 */
public final class RemoteAgent implements Agent {
    private final String id;
    private final AgentConfig config;
    private final Gateways gateways;

    public RemoteAgent(String id, AgentConfig config, Gateways gateways) {
        this.id = id;
        this.config = config;
        this.gateways = gateways;
    }

    @Override
    public int historyLimit() {
        return config.maxHistory();
    }

    @Override
    public String respond(AgentRequest request, Consumer<String> stream) throws Exception {
        // The loop reads no more history than historyLimit(): the request is already windowed.
        return gateways.run(id, request, config.gateways(), config.timeout());
    }
}
