package io.connectorhub.core;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Counting and describing messages and replies marked expired (see {@code recovery.*}). */
final class Expiry {
    /** The per-channel counter of expired messages and replies, in {@link HubMetrics}. */
    static final String COUNTER = "expired";

    private Expiry() {}

    /** Adds {@code expired} (channel → how many) to each channel's {@link #COUNTER}. */
    static void count(HubMetrics metrics, Map<String, Integer> expired) {
        expired.forEach((channel, n) -> {
            for (int i = 0; i < n; i++) metrics.increment(channel, COUNTER);
        });
    }

    /** E.g. {@code 12 telegram messages} or {@code 1 discord message, 3 telegram messages}, channels sorted. */
    static String describe(Map<String, Integer> expired, String one, String many) {
        StringJoiner text = new StringJoiner(", ");
        new TreeMap<>(expired).forEach((channel, n) -> text.add(n + " " + channel + " " + (n == 1 ? one : many)));
        return text.toString();
    }

    /** A duration as the configuration writes it: {@code 7d}, {@code 1h}, {@code 90m}, {@code 30s}, {@code 500ms}. */
    static String age(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
