package io.connectorhub.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hub's own meters, kept in a Micrometer registry that whoever built this owns: messages per channel and outcome
 * ({@code hub_messages_total{channel,outcome}}: inbound, duplicate, denied, outbound, failed, agent_errors, ...), how
 * long a stored message waited for its reply to be sent ({@code hub_message_latency_seconds{channel}}) and how long
 * agents took ({@code hub_agent_call_seconds{agent,outcome}}). Thread-safe, cheap to increment.
 */
public final class HubMetrics {
    public static final String INBOUND = "inbound";
    public static final String DUPLICATE = "duplicate";
    public static final String DENIED = "denied";
    public static final String OUTBOUND = "outbound";
    public static final String FAILED = "failed";
    public static final String AGENT_ERRORS = "agent_errors";

    /** Outcomes of an agent call. */
    public static final String OK = "ok";

    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";

    /** Histogram buckets of both latencies: from a built-in agent's milliseconds to a slow model's minutes. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
    };

    /** Messages waiting for their reply that are remembered for the latency; more are not timed. */
    static final int MAX_WAITING = 100_000;

    private static final long STALE_NANOS = TimeUnit.HOURS.toNanos(1);

    private final MeterRegistry registry;
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Timer> agentCalls = new ConcurrentHashMap<>();
    /** channel NUL message id → System.nanoTime() when it was stored. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();

    private volatile long lastPrune = System.nanoTime();

    /** With a registry of its own, for tests and tools that do not expose the meters. */
    public HubMetrics() {
        this(new SimpleMeterRegistry());
    }

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry the meters are in, for other parts of the hub to add theirs. */
    public MeterRegistry registry() {
        return registry;
    }

    public void increment(String channel, String counter) {
        counters.computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        counter,
                        c -> Counter.builder("hub.messages")
                                .description("Messages per channel and outcome since start.")
                                .tag("channel", channel)
                                .tag("outcome", counter)
                                .register(registry))
                .increment();
    }

    public long count(String channel, String counter) {
        Counter c = counters.getOrDefault(channel, Map.of()).get(counter);
        return c == null ? 0 : (long) c.count();
    }

    /** A sorted copy: channel, then counter name, then value. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        counters.forEach((channel, byName) -> {
            Map<String, Long> values = new TreeMap<>();
            byName.forEach((name, counter) -> values.put(name, (long) counter.count()));
            copy.put(channel, values);
        });
        return copy;
    }

    /** Notes that a new message was stored, so that {@link #replied} can time its reply. */
    public void stored(String channel, String messageId) {
        if (waiting.size() >= MAX_WAITING && !pruneStale()) return;
        waiting.put(channel + '\0' + messageId, System.nanoTime());
    }

    /**
     * Records {@code hub_message_latency_seconds} for the reply to {@code inboundId} that was just sent, if this
     * process stored that message (a message recovered after a restart is not timed).
     */
    public void replied(String channel, String inboundId) {
        Long storedAt = waiting.remove(channel + '\0' + inboundId);
        if (storedAt == null) return;
        latencies
                .computeIfAbsent(
                        channel,
                        c -> Timer.builder("hub.message.latency")
                                .description("From storing a message to sending its reply.")
                                .tag("channel", c)
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(System.nanoTime() - storedAt, TimeUnit.NANOSECONDS);
    }

    /** Records one call of an agent: {@code hub_agent_call_seconds{agent,outcome}} ({@link #OK}, {@link #ERROR}, ...). */
    public void agentCall(String agent, String outcome, long nanos) {
        agentCalls
                .computeIfAbsent(
                        agent + '\0' + outcome,
                        k -> Timer.builder("hub.agent.call")
                                .description("How long an agent took to answer one message.")
                                .tag("agent", agent)
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Forgets messages stored over an hour ago and never answered (denied ones, failed sends); at most once a minute. */
    private boolean pruneStale() {
        long now = System.nanoTime();
        if (now - lastPrune < TimeUnit.MINUTES.toNanos(1)) return false;
        lastPrune = now;
        waiting.values().removeIf(t -> now - t > STALE_NANOS);
        return waiting.size() < MAX_WAITING;
    }
}
