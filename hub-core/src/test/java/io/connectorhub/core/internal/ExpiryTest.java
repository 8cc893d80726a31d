package io.connectorhub.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The words of the log lines about expired messages. */
class ExpiryTest {
    @Test
    void describesTheCountsPerChannelInOrder() {
        assertEquals(
                "12 telegram messages",
                Expiry.describe(Map.of("telegram", Collections.nCopies(12, "id")), "message", "messages"));
        assertEquals(
                "1 discord reply, 3 telegram replies",
                Expiry.describe(
                        Map.of("telegram", List.of("a", "b", "c"), "discord", List.of("d")), "reply", "replies"));
    }

    @Test
    void writesAgesAsTheConfigurationDoes() {
        assertEquals("1h", Expiry.age(Duration.ofHours(1)));
        assertEquals("90m", Expiry.age(Duration.ofMinutes(90)));
        assertEquals("7d", Expiry.age(Duration.ofDays(7)));
        assertEquals("45s", Expiry.age(Duration.ofSeconds(45)));
        assertEquals("1500ms", Expiry.age(Duration.ofMillis(1500)));
    }
}
