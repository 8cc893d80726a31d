package io.connectorhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedAgentTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HubMetrics metrics = new HubMetrics(registry);
    private final AgentRequest request = new AgentRequest(
            InboundMessage.builder("test", "1")
                    .sender("a")
                    .chat("c")
                    .content("hi")
                    .build(),
            List.of());

    private long calls(String outcome) {
        var timer = registry.find("hub.agent.call")
                .tags("agent", "helper", "outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void timesAnswersTimeoutsAndErrorsUnderTheAgentsId() {
        assertEquals("hello", assertDoesNotFail(new TimedAgent("helper", (r, s) -> "hello", metrics)));
        Agent slow = new TimedAgent(
                "helper",
                (r, s) -> {
                    throw new HubException("agent helper: calling it failed", new SocketTimeoutException("timeout"));
                },
                metrics);
        assertThrows(HubException.class, () -> slow.respond(request, s -> {}));
        Agent broken = new TimedAgent(
                "helper",
                (r, s) -> {
                    throw new IllegalStateException("a bug");
                },
                metrics);
        assertThrows(IllegalStateException.class, () -> broken.respond(request, s -> {}));
        Agent empty = new TimedAgent("helper", (r, s) -> " ", metrics);
        assertDoesNotFail(empty);
        assertEquals(1, calls(HubMetrics.OK));
        assertEquals(1, calls(HubMetrics.TIMEOUT));
        assertEquals(2, calls(HubMetrics.ERROR));
    }

    private String assertDoesNotFail(Agent agent) {
        try {
            return agent.respond(request, s -> {});
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
