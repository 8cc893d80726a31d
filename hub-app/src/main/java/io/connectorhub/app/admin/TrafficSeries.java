package io.connectorhub.app.admin;

import io.connectorhub.core.HubMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Messages per channel per minute, for the last {@link #KEEP_MINUTES} minutes, kept in memory from the hub's counters:
 * {@link #sample()} notes the counters at the first call in each minute, and a minute's figure is the difference to the
 * next minute's note (the current minute's, to now). Call {@link #sample()} every few seconds. Thread-safe.
 */
public final class TrafficSeries {
    public static final int KEEP_MINUTES = 60;

    /** The series' names and the counters they are taken from. */
    static final Map<String, String> SERIES = seriesNames();

    private final HubMetrics metrics;
    private final Clock clock;
    /** minute (epoch minutes) → the counters at its first sample: channel → counter → count. */
    private final NavigableMap<Long, Map<String, Map<String, Long>>> notes = new TreeMap<>();

    public TrafficSeries(HubMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    private static Map<String, String> seriesNames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("inbound", HubMetrics.INBOUND);
        m.put("replies", HubMetrics.OUTBOUND);
        m.put("denied", HubMetrics.DENIED);
        m.put("failed", HubMetrics.FAILED);
        return m;
    }

    /** Notes the counters if this minute has no note yet, and forgets minutes older than the window. */
    public synchronized void sample() {
        long minute = minute(clock.instant());
        if (notes.containsKey(minute)) return;
        notes.put(minute, metrics.snapshot());
        notes.headMap(minute - KEEP_MINUTES, true).clear();
    }

    /**
     * The last {@code minutes} minutes, oldest first, the last one being the current (partial) minute: {@code {minutes,
     * from, stepSeconds, channels: {<name>: {inbound: [..], replies: [..], denied: [..], failed: [..]}}}}. Minutes
     * before the first note (before the hub started) are 0.
     */
    public synchronized Map<String, Object> series(int minutes) {
        sample();
        Instant now = clock.instant();
        long current = minute(now);
        long first = current - minutes + 1;
        Map<String, Map<String, Long>> latest = metrics.snapshot();
        Map<String, Map<String, long[]>> channels = new LinkedHashMap<>();
        for (long m = first; m <= current; m++) {
            Map<String, Map<String, Long>> start = notes.get(m);
            if (start == null) continue;
            Map.Entry<Long, Map<String, Map<String, Long>>> next = notes.higherEntry(m);
            Map<String, Map<String, Long>> end = next == null ? latest : next.getValue();
            int index = (int) (m - first);
            end.forEach((channel, counts) -> {
                Map<String, long[]> byName = channels.computeIfAbsent(channel, c -> newSeries(minutes));
                SERIES.forEach((name, counter) -> byName.get(name)[index] = counts.getOrDefault(counter, 0L)
                        - start.getOrDefault(channel, Map.of()).getOrDefault(counter, 0L));
            });
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("minutes", minutes);
        body.put("from", Instant.ofEpochSecond(first * 60));
        body.put("stepSeconds", 60);
        body.put("channels", channels);
        return body;
    }

    private static Map<String, long[]> newSeries(int minutes) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String name : SERIES.keySet()) m.put(name, new long[minutes]);
        return m;
    }

    private static long minute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    /** For tests: the minutes that have a note. */
    synchronized List<Long> notedMinutes() {
        return List.copyOf(notes.keySet());
    }
}
