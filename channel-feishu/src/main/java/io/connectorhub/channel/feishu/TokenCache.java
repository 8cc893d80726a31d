package io.connectorhub.channel.feishu;

import com.lark.oapi.core.cache.ICache;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the SDK keeps the tenant_access_token between calls (it fetches a new one when this one has expired, three
 * minutes before Feishu's two hours are up). One per channel instead of the SDK's process-wide cache, so two hubs in
 * one JVM (tests) never share a token. Thread-safe; values never leave it except to the SDK.
 */
final class TokenCache implements ICache {
    private record Entry(String value, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String get(String key) {
        Entry e = entries.get(key);
        if (e == null) return "";
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key, e);
            return "";
        }
        return e.value();
    }

    @Override
    public void set(String key, String value, int expire, TimeUnit timeUnit) {
        entries.put(key, new Entry(value, clock.instant().plusMillis(timeUnit.toMillis(Math.max(expire, 0)))));
    }

    @Override
    public String toString() {
        return "TokenCache[" + entries.size() + " entries]";
    }
}
