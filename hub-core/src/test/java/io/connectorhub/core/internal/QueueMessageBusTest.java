package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.BusFullException;
import io.connectorhub.core.InboundMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueMessageBusTest {
    private static InboundMessage message(String id) {
        return InboundMessage.builder("test", id)
                .sender("u")
                .chat("c")
                .content("hi")
                .build();
    }

    @Test
    void handsMessagesOverInOrder() throws Exception {
        QueueMessageBus bus = new QueueMessageBus(10, 10, Duration.ofMillis(10));
        InboundMessage a = message("a");
        InboundMessage b = message("b");
        bus.publishInbound(a);
        bus.publishInbound(b);
        assertEquals(2, bus.inboundDepth());
        assertSame(a, bus.takeInbound(Duration.ofSeconds(1)));
        assertSame(b, bus.takeInbound(Duration.ofSeconds(1)));
        assertNull(bus.takeInbound(Duration.ofMillis(1)));
    }

    @Test
    void rejectsWithAClearErrorWhenFullForTheWholeTimeout() {
        QueueMessageBus bus = new QueueMessageBus(1, 1, Duration.ofMillis(50));
        bus.publishInbound(message("a"));
        BusFullException e = assertThrows(BusFullException.class, () -> bus.publishInbound(message("b")));
        assertTrue(e.getMessage().contains("bus.inboundCapacity"), e.getMessage());
        assertEquals(1, bus.inboundDepth());
    }

    @Test
    void slowsAProducerUntilTheConsumerMakesRoom() throws Exception {
        QueueMessageBus bus = new QueueMessageBus(1, 1, Duration.ofSeconds(30));
        bus.publishInbound(message("a"));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> bus.publishInbound(message("b")));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> blocked.get(100, TimeUnit.MILLISECONDS));
        assertEquals("a", bus.takeInbound(Duration.ofSeconds(1)).id());
        blocked.get(10, TimeUnit.SECONDS);
        assertEquals("b", bus.takeInbound(Duration.ofSeconds(1)).id());
    }
}
