package io.connectorhub.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> sleeps = new ArrayList<>();
    private final SendLimiter limiter = new SendLimiter(1, 20, 30, now::get, millis -> {
        sleeps.add(millis);
        now.addAndGet(millis);
    });

    @Test
    void sendsToOneChatAtMostOnceASecond() throws Exception {
        limiter.acquire("42");
        limiter.acquire("42");
        assertEquals(List.of(1_000L), sleeps);
        assertFalse(limiter.tryAcquire("42"));
        assertTrue(limiter.tryAcquire("43"), "another chat is not held up");
    }

    @Test
    void sendsToOneGroupAtMostTwentyTimesAMinute() throws Exception {
        long start = now.get();
        for (int i = 0; i < 21; i++) limiter.acquire("-100");
        assertEquals(60_000, now.get() - start, "the 21st message waits until the first is a minute old");
    }

    @Test
    void sendsAtMostThirtyMessagesASecondOverall() throws Exception {
        long start = now.get();
        for (int i = 0; i < 31; i++) limiter.acquire(String.valueOf(i));
        assertEquals(1_000, now.get() - start);
    }
}
