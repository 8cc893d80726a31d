package io.connectorhub.channel.telegram;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps the bot under Telegram's send limits: one message a second per chat, twenty a minute per group, thirty a
 * second overall. {@link #acquire} waits for a slot; {@link #tryAcquire} takes one only if it is free now (for
 * progress updates that may be skipped). Thread-safe.
 */
final class SendLimiter {
    /** Sleeps for the given milliseconds; tests may pass a recording sleeper. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;

    private final int perChatPerSecond;
    private final int perGroupPerMinute;
    private final int globalPerSecond;
    private final LongSupplier nowMillis;
    private final Sleeper sleeper;
    private final Map<String, Deque<Long>> chats = new HashMap<>();
    private final Deque<Long> global = new ArrayDeque<>();

    SendLimiter(
            int perChatPerSecond, int perGroupPerMinute, int globalPerSecond, LongSupplier nowMillis, Sleeper sleeper) {
        this.perChatPerSecond = perChatPerSecond;
        this.perGroupPerMinute = perGroupPerMinute;
        this.globalPerSecond = globalPerSecond;
        this.nowMillis = nowMillis;
        this.sleeper = sleeper;
    }

    static SendLimiter telegramDefaults() {
        return new SendLimiter(1, 20, 30, System::currentTimeMillis, Thread::sleep);
    }

    /** Waits until a message may be sent to {@code chatId}, and takes that slot. */
    void acquire(String chatId) throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                wait = waitFor(chatId, nowMillis.getAsLong());
                if (wait <= 0) {
                    take(chatId, nowMillis.getAsLong());
                    return;
                }
            }
            sleeper.sleep(wait);
        }
    }

    /** Takes a slot for {@code chatId} if one is free now. */
    synchronized boolean tryAcquire(String chatId) {
        long now = nowMillis.getAsLong();
        if (waitFor(chatId, now) > 0) return false;
        take(chatId, now);
        return true;
    }

    /** Milliseconds until a send to {@code chatId} fits all limits (0 if now). */
    private long waitFor(String chatId, long now) {
        prune(global, now - SECOND);
        long wait = global.size() >= globalPerSecond ? global.peekFirst() + SECOND - now : 0;
        Deque<Long> chat = chats.get(chatId);
        if (chat != null) {
            prune(chat, now - MINUTE);
            long lastSecond = chat.stream().filter(t -> t > now - SECOND).count();
            if (lastSecond >= perChatPerSecond) {
                long oldestInSecond =
                        chat.stream().filter(t -> t > now - SECOND).findFirst().orElse(now);
                wait = Math.max(wait, oldestInSecond + SECOND - now);
            }
            if (isGroup(chatId) && chat.size() >= perGroupPerMinute)
                wait = Math.max(wait, chat.peekFirst() + MINUTE - now);
        }
        return wait;
    }

    private void take(String chatId, long now) {
        global.addLast(now);
        chats.computeIfAbsent(chatId, k -> new ArrayDeque<>()).addLast(now);
        if (chats.size() > 10_000) chats.values().removeIf(d -> d.isEmpty() || d.peekLast() < now - MINUTE);
    }

    private static void prune(Deque<Long> times, long before) {
        while (!times.isEmpty() && times.peekFirst() <= before) times.removeFirst();
    }

    /** Group and supergroup ids are negative; private chats are positive. */
    private static boolean isGroup(String chatId) {
        return chatId.startsWith("-");
    }
}
