package io.connectorhub.channel.discord;

import io.connectorhub.core.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;

/**
 * Delivers replies: a streamed reply is one Discord message, posted with the first piece and edited at most once
 * per interval as pieces arrive; the final text then replaces it (split over more messages when it is longer than
 * Discord allows). Every send carries a nonce derived from the reply id, so Discord drops a repeated send for a few
 * minutes. Calls for one chat come one at a time (the hub sends per chat in order); different chats run concurrently.
 */
final class ReplyStreams {
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    ReplyStreams(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Adds a piece to the reply's message: posts it on the first piece, then edits it at the bounded rate. */
    void delta(MessageChannel channel, OutboundMessage piece) {
        Instant now = clock.instant();
        Stream stream = streams.get(piece.id());
        if (stream == null) {
            // A reply whose final message never came (the hub stopped meanwhile) is forgotten after a while.
            streams.values().removeIf(s -> s.started.isBefore(now.minus(FORGET_AFTER)));
            stream = streams.computeIfAbsent(piece.id(), id -> new Stream(now));
        }
        stream.lock.lock();
        try {
            stream.text.append(piece.content());
            String shown = DiscordSplitter.split(stream.text.toString()).getFirst();
            if (shown.isBlank()) return;
            if (stream.messageId == null) {
                Message posted = create(channel, shown, piece.replyTo(), nonce(piece.id(), "stream"))
                        .complete();
                stream.messageId = posted.getId();
                stream.shown = shown;
                stream.edited = now;
            } else if (!shown.equals(stream.shown) && !now.isBefore(stream.edited.plus(interval))) {
                channel.editMessageById(stream.messageId, shown).complete();
                stream.shown = shown;
                stream.edited = now;
            }
        } finally {
            stream.lock.unlock();
        }
    }

    /**
     * Delivers the whole reply: edits the streamed message if there is one, sends what does not fit in it. The stream
     * is forgotten only once all of it went out, so a repeated delivery after a failure edits the same message again
     * instead of posting the first part as a second message.
     */
    void complete(MessageChannel channel, OutboundMessage reply) {
        List<String> parts = DiscordSplitter.split(reply.content());
        Stream stream = streams.get(reply.id());
        int next = 0;
        if (stream != null) {
            stream.lock.lock();
            try {
                if (stream.messageId != null) {
                    if (!parts.getFirst().equals(stream.shown)) {
                        channel.editMessageById(stream.messageId, parts.getFirst())
                                .complete();
                        stream.shown = parts.getFirst();
                    }
                    next = 1;
                }
            } finally {
                stream.lock.unlock();
            }
        }
        for (int i = next; i < parts.size(); i++) {
            String replyTo = i == 0 ? reply.replyTo() : null;
            create(channel, parts.get(i), replyTo, nonce(reply.id(), "part" + i))
                    .complete();
        }
        if (stream != null) streams.remove(reply.id(), stream);
    }

    private static MessageCreateAction create(MessageChannel channel, String text, String replyTo, String nonce) {
        MessageCreateAction action = channel.sendMessage(text)
                .setNonce(nonce)
                // The agent's text must never ping @everyone, roles or users by accident.
                .setAllowedMentions(List.of());
        if (replyTo != null) {
            action = action.setMessageReference(replyTo)
                    .failOnInvalidReply(false)
                    .mentionRepliedUser(false);
        }
        return action;
    }

    /** At most 25 characters, as Discord requires; the same reply part always gets the same nonce. */
    static String nonce(String replyId, String part) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((replyId + "/" + part).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Stream {
        final Instant started;
        final ReentrantLock lock = new ReentrantLock(); // not synchronized: it is held across blocking REST calls
        final StringBuilder text = new StringBuilder();
        String messageId;
        String shown;
        Instant edited;

        Stream(Instant started) {
            this.started = started;
        }
    }
}
