package io.connectorhub.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters per channel (inbound, duplicate, denied, outbound, failed, ...). Thread-safe, cheap to increment. */
public final class HubMetrics {
    public static final String INBOUND = "inbound";
    public static final String DUPLICATE = "duplicate";
    public static final String DENIED = "denied";
    public static final String OUTBOUND = "outbound";
    public static final String FAILED = "failed";
    public static final String AGENT_ERRORS = "agent_errors";

    private final Map<String, Map<String, LongAdder>> counters = new ConcurrentHashMap<>();

    public void increment(String channel, String counter) {
        counters.computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(counter, c -> new LongAdder())
                .increment();
    }

    public long count(String channel, String counter) {
        LongAdder adder = counters.getOrDefault(channel, Map.of()).get(counter);
        return adder == null ? 0 : adder.sum();
    }

    /** A sorted copy: channel, then counter name, then value. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        counters.forEach((channel, byName) -> {
            Map<String, Long> values = new TreeMap<>();
            byName.forEach((name, adder) -> values.put(name, adder.sum()));
            copy.put(channel, values);
        });
        return copy;
    }
}
