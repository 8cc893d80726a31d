package io.connectorhub.app.admin;

import io.connectorhub.app.http.Api;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.Service;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.internal.HubEvents;
import io.connectorhub.core.internal.HubRuntime;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes the web console watches the hub through: {@code GET /api/v1/events} (server-sent events: the
 * channels' states at once, then each change), {@code GET /api/v1/stats/series} (messages per channel per minute) and
 * {@code GET /api/v1/config} (the configuration in force, secrets redacted). One virtual thread sends the events,
 * samples the per-minute counters and keeps idle streams alive, so a slow client never holds up the hub.
 */
public final class LiveAdminRoutes implements Service {
    private static final Logger log = LoggerFactory.getLogger(LiveAdminRoutes.class);
    static final Duration TICK = Duration.ofSeconds(5);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final HubRuntime runtime;
    private final TrafficSeries series;
    private final ConfigView config;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<HubEvents.Event> events = new LinkedBlockingQueue<>(10_000);
    private volatile boolean running;
    private Thread thread;

    private LiveAdminRoutes(HubRuntime runtime, ConfigView config) {
        this.runtime = runtime;
        this.series = new TrafficSeries(runtime.metrics(), runtime.clock());
        this.config = config;
    }

    /** Adds the live routes' thread to {@code runtime}, which is being configured; {@link AdminRoutes} mounts them. */
    public static LiveAdminRoutes install(HubRuntime runtime, HubConfig config, Path configFile, ConfigLoader loader) {
        LiveAdminRoutes routes = new LiveAdminRoutes(runtime, new ConfigView(config, configFile, loader));
        runtime.events().subscribe(routes::onEvent);
        runtime.addService(routes);
        return routes;
    }

    /** {@code GET /api/v1/events}: the channels' states now, then each change, as server-sent events. */
    Handler events() {
        return new SseHandler(this::watch);
    }

    /** {@code GET /api/v1/stats/series?minutes=}: messages per channel per minute. */
    void series(Context ctx) {
        ctx.json(series.series(Api.limit(ctx, "minutes", 60, TrafficSeries.KEEP_MINUTES)));
    }

    /** {@code GET /api/v1/config}: the configuration in force, secrets redacted, and a rejected reload's problems. */
    void config(Context ctx) {
        ctx.json(config.json());
    }

    private void onEvent(HubEvents.Event event) {
        if (HubEvents.CHANNEL_STATUS.equals(event.type()) && !clients.isEmpty()) events.offer(event);
    }

    private void watch(SseClient client) {
        client.onClose(() -> clients.remove(client));
        // Listed before the snapshot is taken, so no change falls between the two; the lock keeps a change from
        // being written before the snapshot, or into the middle of it.
        synchronized (client) {
            clients.add(client);
            client.sendEvent("channels", Map.of("channels", channels()));
        }
        client.keepAlive();
    }

    private List<Map<String, Object>> channels() {
        return runtime.channels().statuses().stream()
                .map(LiveAdminRoutes::channel)
                .toList();
    }

    private static Map<String, Object> channel(ChannelStatus s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", s.name());
        c.put("state", s.state().label());
        c.put("lastError", s.lastError());
        return c;
    }

    @Override
    public void start() {
        running = true;
        series.sample();
        thread = Thread.ofVirtual().name("admin-live").start(this::run);
    }

    private void run() {
        long lastPing = System.nanoTime();
        while (running) {
            try {
                HubEvents.Event event = events.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                if (event != null) broadcast(event.type(), event.data());
                series.sample();
                if (System.nanoTime() - lastPing > KEEP_ALIVE.toNanos()) {
                    lastPing = System.nanoTime();
                    for (SseClient c : clients) {
                        synchronized (c) {
                            c.sendComment("keep-alive");
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Sending admin events failed: {}", e.toString());
            }
        }
    }

    private void broadcast(String type, Map<String, Object> data) {
        for (SseClient c : clients) {
            if (c.terminated()) clients.remove(c);
            else {
                synchronized (c) {
                    c.sendEvent(type, data);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
        clients.clear(); // the server's stop ends their streams
    }
}
