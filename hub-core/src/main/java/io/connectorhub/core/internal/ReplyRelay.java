package io.connectorhub.core.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.Json;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.PostgresStore;
import io.connectorhub.core.internal.store.StoreOutbox;
import java.io.UncheckedIOException;

/**
 * Carries what this instance delivered on a channel whose clients connect to the hub ({@link
 * BaseChannel#holdsConnections()}) to the other instances sharing a PostgreSQL database, on the channel
 * {@link #CHANNEL}, and hands what the others carried to {@link ChannelManager#deliverHere}. A reply is named by its
 * outbox id only: the receivers read it from the store. A streamed piece carries its text, cut so that each
 * {@code NOTIFY} stays under PostgreSQL's 8,000 bytes, and goes in a transaction of its own, never in the one that
 * stores the reply. The constructor does no I/O. Thread-safe.
 */
final class ReplyRelay {
    /** The PostgreSQL channel of the replies and streamed pieces sent to clients of one instance. */
    static final String CHANNEL = "hub_replies";
    /** Code points of a piece per NOTIFY: at most 6 bytes each in JSON, which leaves room for the ids. */
    static final int PIECE = 1000;

    /** What one NOTIFY carries: a reply's id, or a streamed piece ({@code delta}) with what it needs to be delivered. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Relayed(String from, String id, String channel, String chat, String inReplyTo, String delta) {}

    private final PostgresStore store;
    private final StoreOutbox outbox;
    private final ChannelManager channels;
    private final String instanceId;
    private final ObjectMapper json = Json.newMapper();

    ReplyRelay(PostgresStore store, StoreOutbox outbox, ChannelManager channels, String instanceId) {
        this.store = store;
        this.outbox = outbox;
        this.channels = channels;
        this.instanceId = instanceId;
    }

    /** Tells the other instances that this one delivered {@code message} (a reply, or a piece of one) to its clients. */
    void sent(OutboundMessage message) {
        if (message.kind() == OutboundMessage.Kind.MESSAGE) {
            notify(new Relayed(instanceId, message.id(), null, null, null, null));
            return;
        }
        String text = message.content();
        int from = 0;
        do {
            int end = text.offsetByCodePoints(from, Math.min(PIECE, text.codePointCount(from, text.length())));
            notify(new Relayed(
                    instanceId,
                    message.id(),
                    message.channel(),
                    message.chatId(),
                    message.inReplyTo(),
                    text.substring(from, end)));
            from = end;
        } while (from < text.length());
    }

    /** Delivers here what another instance sent ({@code payload} of {@link #CHANNEL}); this instance's own is skipped. */
    void received(String payload) {
        Relayed relayed;
        try {
            relayed = json.readValue(payload, Relayed.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a relayed reply: " + e.getOriginalMessage(), e);
        }
        if (relayed.from() == null || relayed.from().equals(instanceId)) return;
        if (relayed.delta() == null) {
            outbox.find(relayed.id()).ifPresent(channels::deliverHere);
            return;
        }
        channels.deliverHere(new OutboundMessage(
                relayed.id(),
                relayed.channel(),
                relayed.chat(),
                relayed.delta(),
                null,
                null,
                null,
                null,
                OutboundMessage.Kind.DELTA,
                relayed.inReplyTo(),
                false));
    }

    private void notify(Relayed relayed) {
        try {
            store.notify(CHANNEL, json.writeValueAsString(relayed));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
