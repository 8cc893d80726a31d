package io.connectorhub.agent;

import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.internal.Failures;
import java.util.function.Consumer;

/**
 * An agent whose every answer is timed into {@code hub_agent_call_seconds{agent,outcome}} under the id the
 * configuration gives it: outcome {@code ok}, {@code timeout} (the provider or gateway did not answer in time) or
 * {@code error} (anything else, an empty reply included).
 */
final class TimedAgent implements Agent {
    private final String id;
    private final Agent agent;
    private final HubMetrics metrics;

    TimedAgent(String id, Agent agent, HubMetrics metrics) {
        this.id = id;
        this.agent = agent;
        this.metrics = metrics;
    }

    @Override
    public String respond(AgentRequest request, Consumer<String> stream) throws Exception {
        long started = System.nanoTime();
        String outcome = HubMetrics.ERROR;
        try {
            String reply = agent.respond(request, stream);
            if (reply != null && !reply.isBlank()) outcome = HubMetrics.OK;
            return reply;
        } catch (Exception e) {
            if (Failures.timedOut(e)) outcome = HubMetrics.TIMEOUT;
            throw e;
        } finally {
            metrics.agentCall(id, outcome, System.nanoTime() - started);
        }
    }

    @Override
    public int historyLimit() {
        return agent.historyLimit();
    }

    @Override
    public String toString() {
        return agent.toString();
    }
}
