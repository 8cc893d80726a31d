package io.connectorhub.channel.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps "typing…" shown while the agent works: Discord clears the indicator about 10 s after it was sent, so it is
 * sent again every interval until the chat's reply went out or {@link #LIMIT} passed. One scheduler thread serves all
 * chats; the sends themselves go through JDA's queue, so a slow request never holds it up. Thread-safe;
 * {@link #close()} is idempotent.
 */
final class TypingRepeater implements AutoCloseable {
    static final Duration LIMIT = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(TypingRepeater.class);

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Repeat> repeats = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;

    TypingRepeater(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
        // The thread starts with the first repeat, not here.
        this.scheduler = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("discord-typing").daemon().factory());
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Repeats the typing indicator just sent to {@code channel}, replacing an earlier repeat for that chat. */
    void repeat(String chatId, MessageChannel channel) {
        Repeat repeat = new Repeat(chatId, channel, clock.instant().plus(LIMIT));
        try {
            repeat.future = scheduler.scheduleAtFixedRate(
                    repeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return; // closed: the channel is stopping
        }
        Repeat earlier = repeats.put(chatId, repeat);
        if (earlier != null) earlier.cancel();
    }

    /** Stops the indicator's repeats for the chat, once its reply was sent (or failed). */
    void stop(String chatId) {
        Repeat repeat = repeats.remove(chatId);
        if (repeat != null) repeat.cancel();
    }

    @Override
    public void close() {
        repeats.clear();
        scheduler.shutdownNow();
    }

    private final class Repeat implements Runnable {
        final String chatId;
        final MessageChannel channel;
        final Instant until;
        volatile ScheduledFuture<?> future;

        Repeat(String chatId, MessageChannel channel, Instant until) {
            this.chatId = chatId;
            this.channel = channel;
            this.until = until;
        }

        @Override
        public void run() {
            if (!clock.instant().isBefore(until)) {
                repeats.remove(chatId, this);
                cancel();
                return;
            }
            channel.sendTyping()
                    .queue(
                            null,
                            e -> log.debug("Could not show typing in Discord channel {}: {}", chatId, e.getMessage()));
        }

        void cancel() {
            ScheduledFuture<?> f = future;
            if (f != null) f.cancel(false);
        }
    }
}
