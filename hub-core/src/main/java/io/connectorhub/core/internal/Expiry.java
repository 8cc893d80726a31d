package io.connectorhub.core.internal;

import io.connectorhub.core.HubMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Counting and describing messages and replies marked expired (see {@code recovery.*}). */
final class Expiry {
    /** The per-channel counter of expired messages and replies, in {@link HubMetrics}. */
    static final String COUNTER = "expired";

    private Expiry() {}

    /** Adds {@code expired} (channel → ids) to each channel's {@link #COUNTER}. */
    static void count(HubMetrics metrics, Map<String, List<String>> expired) {
        expired.forEach((channel, ids) -> ids.forEach(id -> metrics.increment(channel, COUNTER)));
    }

    /** E.g. {@code 12 telegram messages} or {@code 1 discord message, 3 telegram messages}, channels sorted. */
    static String describe(Map<String, List<String>> expired, String one, String many) {
        StringJoiner text = new StringJoiner(", ");
        new TreeMap<>(expired).forEach((channel, ids) -> {
            int n = ids.size();
            text.add(n + " " + channel + " " + (n == 1 ? one : many));
        });
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
