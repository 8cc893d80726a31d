package io.connectorhub.core.internal;

import io.connectorhub.core.Admission;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundGate;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import io.connectorhub.core.MessageBus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link InboundGate} of a hub: stores the message in the inbox, then publishes it to the bus. Thread-safe. */
public final class InboxGate implements InboundGate {
    private static final Logger log = LoggerFactory.getLogger(InboxGate.class);

    private final Inbox inbox;
    private final MessageBus bus;
    private final HubMetrics metrics;
    private final HubEvents events;

    public InboxGate(Inbox inbox, MessageBus bus, HubMetrics metrics) {
        this(inbox, bus, metrics, new HubEvents());
    }

    /** @param events told of every message that is new (not a duplicate) */
    public InboxGate(Inbox inbox, MessageBus bus, HubMetrics metrics, HubEvents events) {
        this.inbox = inbox;
        this.bus = bus;
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public Admission accept(InboundMessage message) {
        Admission admission = inbox.admit(message);
        if (admission.duplicate()) {
            metrics.increment(message.channel(), HubMetrics.DUPLICATE);
            log.debug("{} message {} seen before ({})", message.channel(), message.id(), admission.state());
        } else {
            metrics.increment(message.channel(), HubMetrics.INBOUND);
            metrics.stored(message.channel(), message.id()); // before publishing: the reply may come at once
            events.publish(
                    HubEvents.MESSAGE_INBOUND,
                    Map.of(
                            "channel", message.channel(),
                            "message_id", message.id(),
                            "sender", message.senderId(),
                            "chat", message.chatId(),
                            "session_key", message.sessionKey(),
                            "text", withoutLinkCode(message.content())));
        }
        // A pending duplicate was admitted but never published (the bus was full) or is queued already; the agent
        // loop's claim makes a second copy in the queue harmless.
        if (admission.needsProcessing()) {
            try {
                bus.publishInbound(admission.message());
            } catch (RuntimeException e) {
                inbox.release(admission.message()); // pending again, so the redelivery this failure asks for is queued
                throw e;
            }
        }
        return admission;
    }

    /** {@code content}, unless it is {@code /link CODE}: the one-time code is a credential and stays in the hub. */
    private static String withoutLinkCode(String content) {
        String t = content.strip();
        return t.equals("/link") || t.startsWith("/link ") ? "/link (code hidden)" : content;
    }
}
