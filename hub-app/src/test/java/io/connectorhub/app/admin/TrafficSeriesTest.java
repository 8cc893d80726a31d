package io.connectorhub.app.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSeriesTest {
    private final HubMetrics metrics = new HubMetrics();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:10Z"));
    private final TrafficSeries series = new TrafficSeries(metrics, clock);

    @SuppressWarnings("unchecked")
    private long[] of(Map<String, Object> body, String channel, String name) {
        return ((Map<String, Map<String, long[]>>) body.get("channels"))
                .get(channel)
                .get(name);
    }

    private void count(String channel, String counter, int times) {
        for (int i = 0; i < times; i++) metrics.increment(channel, counter);
    }

    @Test
    void eachMinuteHoldsWhatWasCountedInItOldestFirst() {
        series.sample();
        count("telegram", HubMetrics.INBOUND, 3);
        count("telegram", HubMetrics.OUTBOUND, 2);
        clock.advance(Duration.ofMinutes(1));
        series.sample();
        count("telegram", HubMetrics.INBOUND, 1);
        count("telegram", HubMetrics.DENIED, 4);
        clock.advance(Duration.ofMinutes(1));
        series.sample();
        count("telegram", HubMetrics.FAILED, 1);

        Map<String, Object> body = series.series(4);
        assertEquals(Instant.parse("2026-11-30T09:59:00Z"), body.get("from"));
        assertArrayEquals(new long[] {0, 3, 1, 0}, of(body, "telegram", "inbound"));
        assertArrayEquals(new long[] {0, 2, 0, 0}, of(body, "telegram", "replies"));
        assertArrayEquals(new long[] {0, 0, 4, 0}, of(body, "telegram", "denied"));
        assertArrayEquals(new long[] {0, 0, 0, 1}, of(body, "telegram", "failed"));
    }

    @Test
    void aMinuteWithoutASampleCountsIntoTheOneBeforeAndOldMinutesAreForgotten() {
        series.sample();
        count("discord", HubMetrics.INBOUND, 2);
        clock.advance(Duration.ofMinutes(2));
        assertArrayEquals(new long[] {2, 0, 0}, of(series.series(3), "discord", "inbound"));
        clock.advance(Duration.ofMinutes(TrafficSeries.KEEP_MINUTES + 5));
        series.sample();
        assertEquals(1, series.notedMinutes().size());
    }
}
