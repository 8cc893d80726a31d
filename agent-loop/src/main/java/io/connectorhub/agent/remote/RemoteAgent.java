package io.connectorhub.agent.remote;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.AgentRequest;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.core.ChatMessage;
import java.util.List;
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
        List<ChatMessage> history = request.history();
        AgentRequest windowed = new AgentRequest(
                request.message(), history.subList(Math.max(0, history.size() - config.maxHistory()), history.size()));
        return gateways.run(id, windowed, config.gateways(), config.timeout());
    }
}
