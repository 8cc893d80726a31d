package io.connectorhub.channel.discord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Covers the one gap a RESUME cannot: when Discord refuses to resume (the session expired during a long outage),
 * JDA starts a new session, and the events of the gap are never replayed. This remembers the newest message seen in
 * each channel and, after such a new session, fetches what was written after it through the REST API. The inbox
 * drops whatever was handled already. It remembers at most {@link #CHANNELS} channels, those most recently written
 * in, so a bot in very many channels keeps bounded memory. The marks that moved are handed out for storing
 * ({@link #changed}), and stored ones taken back ({@link #restore}), so the next gateway session, on this instance or
 * another, recovers the gap too. Thread-safe.
 */
final class GapRecovery {
    private static final Logger log = LoggerFactory.getLogger(GapRecovery.class);
    private static final int LIMIT = 100;
    static final int CHANNELS = 10_000;

    record Seen(long messageId, String dmUserId) {}

    private final Map<String, Seen> seen;
    private final Set<String> moved = ConcurrentHashMap.newKeySet();

    GapRecovery() {
        this(CHANNELS);
    }

    GapRecovery(int channels) {
        // Access order: a channel written in moves to the end, the one silent for longest is dropped first.
        this.seen = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > channels;
            }
        });
    }

    /** Notes a message that arrived, so a later recovery starts after it. */
    void saw(Message message) {
        String dmUser = message.isFromGuild() || message.getAuthor().isBot()
                ? null
                : message.getAuthor().getId();
        saw(message.getChannelId(), message.getIdLong(), dmUser);
    }

    void saw(String channelId, long messageId, String dmUser) {
        seen.merge(channelId, new Seen(messageId, dmUser), GapRecovery::newer);
        moved.add(channelId);
    }

    private static Seen newer(Seen old, Seen now) {
        return new Seen(
                Long.compareUnsigned(old.messageId(), now.messageId()) >= 0 ? old.messageId() : now.messageId(),
                now.dmUserId() != null ? now.dmUserId() : old.dmUserId());
    }

    /** Takes back stored marks; a newer mark seen here stays. */
    void restore(Map<String, Seen> stored) {
        stored.forEach((channel, mark) -> seen.merge(channel, mark, GapRecovery::newer));
    }

    /** The marks that moved since the last call. */
    Map<String, Seen> changed() {
        Map<String, Seen> out = new LinkedHashMap<>();
        for (String channel : moved) {
            moved.remove(channel);
            Seen mark = seen.get(channel);
            if (mark != null) out.put(channel, mark);
        }
        return out;
    }

    /** The messages written after the newest seen one in each channel, oldest first per channel. */
    List<Message> missed(JDA jda) {
        List<Message> missed = new ArrayList<>();
        for (Map.Entry<String, Seen> entry : remembered().entrySet()) {
            String channelId = entry.getKey();
            try {
                MessageChannel channel =
                        channel(jda, channelId, entry.getValue().dmUserId());
                if (channel == null) continue;
                List<Message> newestFirst = channel.getHistoryAfter(
                                entry.getValue().messageId(), LIMIT)
                        .complete()
                        .getRetrievedHistory();
                if (newestFirst.size() == LIMIT) {
                    log.warn(
                            "Discord channel {}: {} or more messages during the outage; only {} are answered",
                            channelId,
                            LIMIT,
                            LIMIT);
                }
                missed.addAll(newestFirst.reversed());
            } catch (RuntimeException e) {
                log.warn("Could not fetch the messages missed in Discord channel {}: {}", channelId, e.getMessage());
            }
        }
        return missed;
    }

    /** The channels remembered, with the newest message id seen in each. */
    Map<String, Seen> remembered() {
        synchronized (seen) {
            return Map.copyOf(seen);
        }
    }

    private static MessageChannel channel(JDA jda, String channelId, String dmUserId) {
        MessageChannel channel = jda.getChannelById(MessageChannel.class, channelId);
        if (channel != null) return channel;
        if (dmUserId != null) return jda.openPrivateChannelById(dmUserId).complete();
        return null;
    }
}
