package io.connectorhub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);
    private static final Duration MAX = Duration.ofMinutes(1);

    private static Optional<Duration> parse(String header) {
        return RetryAfter.parse(header, CLOCK, MAX);
    }

    @Test
    void readsDeltaSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(2)), parse("2"));
        assertEquals(Optional.of(Duration.ZERO), parse("0"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), parse(" 30 "));
    }

    @Test
    void roundsFractionalSecondsUpToTheMillisecond() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), parse("1.5"));
        assertEquals(Optional.of(Duration.ofMillis(2)), parse("0.0011"));
    }

    @Test
    void readsAnHttpDateFromTheGivenClock() {
        assertEquals(Optional.of(Duration.ofSeconds(45)), parse("Wed, 21 Oct 2026 07:28:45 GMT"));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertEquals(Optional.of(Duration.ZERO), parse("Wed, 21 Oct 2026 07:00:00 GMT"));
    }

    @Test
    void clampsHugeValuesToTheMaximum() {
        assertEquals(Optional.of(MAX), parse("3600"));
        assertEquals(Optional.of(MAX), parse("99999999999999999999999999"));
        assertEquals(Optional.of(MAX), parse("Fri, 21 Oct 2039 07:28:00 GMT"));
    }

    @Test
    void ignoresAbsentGarbageAndNegativeValues() {
        assertEquals(Optional.empty(), parse(null));
        assertEquals(Optional.empty(), parse(" "));
        assertEquals(Optional.empty(), parse("soon"));
        assertEquals(Optional.empty(), parse("-5"));
        assertEquals(Optional.empty(), parse("1e3"));
        assertEquals(Optional.empty(), parse("Wed, 32 Oct 2026 07:28:00 GMT"));
    }
}
