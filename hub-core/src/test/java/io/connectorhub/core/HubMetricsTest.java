package io.connectorhub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HubMetrics metrics = new HubMetrics(registry);

    @Test
    void countersKeepTheirMeaningAndLandInTheRegistry() {
        metrics.increment("telegram", HubMetrics.INBOUND);
        metrics.increment("telegram", HubMetrics.INBOUND);
        metrics.increment("discord", HubMetrics.DENIED);
        assertEquals(2, metrics.count("telegram", HubMetrics.INBOUND));
        assertEquals(0, metrics.count("telegram", HubMetrics.FAILED));
        assertEquals(0, metrics.count("nowhere", HubMetrics.INBOUND));
        assertEquals(Map.of("discord", Map.of("denied", 1L), "telegram", Map.of("inbound", 2L)), metrics.snapshot());
        assertEquals(
                2.0,
                registry.get("hub.messages")
                        .tags("channel", "telegram", "outcome", "inbound")
                        .counter()
                        .count());
    }

    @Test
    void timesTheFirstReplyToAStoredMessageAndNothingElse() {
        metrics.stored("websocket", "m1");
        metrics.replied("websocket", "m1");
        metrics.replied("websocket", "m1"); // a second reply to the same message is not timed again
        metrics.replied("websocket", "unknown"); // stored before a restart: not timed
        assertEquals(
                1,
                registry.get("hub.message.latency")
                        .tag("channel", "websocket")
                        .timer()
                        .count());
        metrics.replied("telegram", "m2");
        assertNull(
                registry.find("hub.message.latency").tag("channel", "telegram").timer());
    }

    @Test
    void recordsAgentCallsByAgentAndOutcome() {
        metrics.agentCall("gpt", HubMetrics.OK, 1_000_000);
        metrics.agentCall("gpt", HubMetrics.TIMEOUT, 2_000_000);
        metrics.agentCall("gpt", HubMetrics.OK, 3_000_000);
        assertEquals(
                2,
                registry.get("hub.agent.call")
                        .tags("agent", "gpt", "outcome", "ok")
                        .timer()
                        .count());
        assertEquals(
                1,
                registry.get("hub.agent.call")
                        .tags("agent", "gpt", "outcome", "timeout")
                        .timer()
                        .count());
    }
}
