package io.connectorhub.core.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Things that happened in the hub, for whoever listens (the outbound webhooks): a message arrived, a reply was sent,
 * a channel changed state. Listeners run on the publishing thread and must be quick; a failing listener is logged
 * and the others still run. Thread-safe.
 */
public final class HubEvents {
    private static final Logger log = LoggerFactory.getLogger(HubEvents.class);

    public static final String MESSAGE_INBOUND = "message.inbound";
    public static final String MESSAGE_OUTBOUND = "message.outbound";
    public static final String CHANNEL_STATUS = "channel.status";

    /** One event: its type (e.g. {@code message.inbound}) and a JSON-friendly body. */
    public record Event(String type, Map<String, Object> data) {
        public Event {
            data = Map.copyOf(data);
        }
    }

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<Event> listener) {
        listeners.add(listener);
    }

    public void publish(String type, Map<String, Object> data) {
        if (listeners.isEmpty()) return;
        Event event = new Event(type, data);
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("A listener failed on event {}: {}", type, e.getMessage(), e);
            }
        }
    }
}
