package io.connectorhub.core;

import io.connectorhub.core.internal.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * What the hub gives each channel: where to hand in messages, the sessions and outbox (for channels that answer
 * history queries or replay a reply), the shared HTTP client (derive variants with {@code newBuilder()}), the data
 * directory, the store for channel-owned tables, counters, the clock, and the hub's per-IP lockout that wrong
 * credentials count toward.
 */
public record ChannelContext(
        InboundGate inbound,
        SessionStore sessions,
        Outbox outbox,
        OkHttpClient http,
        Path dataDir,
        Store store,
        HubMetrics metrics,
        Clock clock,
        AuthFailures authFailures) {}
