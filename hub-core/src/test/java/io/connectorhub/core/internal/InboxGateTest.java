package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.core.Admission;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the gate tells listeners (the outbound webhooks) of an arriving message. */
class InboxGateTest {
    /** An inbox that stores nothing and admits every message as new. */
    private static final class NewEveryTime implements Inbox {
        @Override
        public Admission admit(InboundMessage message) {
            return new Admission(Admission.State.DONE, false, message);
        }

        @Override
        public boolean claim(InboundMessage message, Duration lease) {
            return true;
        }

        @Override
        public void release(InboundMessage message) {}

        @Override
        public Optional<InboundMessage> nextPending(String sessionKey) {
            return Optional.empty();
        }

        @Override
        public void finish(InboundMessage message, Admission.State state) {}

        @Override
        public List<InboundMessage> unfinished(Duration olderThan, int limit) {
            return List.of();
        }
    }

    private List<Object> texts(String... contents) {
        HubEvents events = new HubEvents();
        List<Object> texts = new CopyOnWriteArrayList<>();
        events.subscribe(e -> texts.add(e.data().get("text")));
        InboxGate gate = new InboxGate(
                new NewEveryTime(), new QueueMessageBus(10, 10, Duration.ofSeconds(1)), new HubMetrics(), events);
        int id = 0;
        for (String content : contents)
            gate.accept(InboundMessage.builder("telegram", String.valueOf(++id))
                    .sender("77")
                    .chat("77")
                    .content(content)
                    .build());
        return texts;
    }

    @Test
    void aLinkCodeNeverReachesTheListenersButOtherTextDoes() {
        assertEquals(
                List.of("/link (code hidden)", "/link (code hidden)", "/linked list please", "hello"),
                texts("/link K7MQX2PA", "  /link  k7mq-x2pa ", "/linked list please", "hello"));
    }
}
