package io.connectorhub.channel.websocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.core.InboundMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that reached the inbox but never the bus (it stayed full) is answered once, without a restart. (The
 * message is a WebSocket one because a message of a channel the hub does not run is denied.)
 */
class InboxSweepTest {
    @TempDir
    Path dir;

    @Test
    void answersAStoredMessageThatNeverReachedTheBusOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (TestHub hub = TestHub.start(dir, "channels:\n  websocket:\n    allowFrom: [\"*\"]\n", (request, s) -> {
            runs.incrementAndGet();
            return "answer to " + request.text();
        })) {
            InboundMessage stranded = InboundMessage.builder("websocket", "m-1")
                    .sender("alice")
                    .chat("c1")
                    .content("hello")
                    .build();
            // Stored, then publishing to the full bus failed: what InboundGate does then.
            hub.runtime().inbox().admit(stranded);
            hub.runtime().inbox().release(stranded);

            assertEquals(0, hub.runtime().sweepInbox(Duration.ofMinutes(1)), "too young: assumed on its way");
            assertEquals(1, hub.runtime().sweepInbox(Duration.ZERO));
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            hub.runtime().sessions().history("websocket:c1", 10).size() == 2);
            assertEquals(0, hub.runtime().sweepInbox(Duration.ZERO), "answered messages are not swept again");
            assertTrue(hub.runtime().inbox().unfinished(10).isEmpty());
            assertEquals(1, runs.get());
        }
    }
}
