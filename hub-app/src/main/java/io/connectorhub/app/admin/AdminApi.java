package io.connectorhub.app.admin;

import static io.connectorhub.app.http.Api.badRequest;
import static io.connectorhub.app.http.Api.notFound;

import io.connectorhub.app.http.Api;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.PlatformWebhook;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.internal.HubRuntime;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of the read-mostly admin routes: status, stats, sessions, the runtime's meters for Prometheus and
 * platform webhook registration. {@link AdminRoutes} mounts them.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final HubRuntime runtime;
    private final IntSupplier pendingDeliveries;

    /** @param pendingDeliveries webhook deliveries waiting to be sent, for the status */
    public AdminApi(HubRuntime runtime, IntSupplier pendingDeliveries) {
        this.runtime = runtime;
        this.pendingDeliveries = pendingDeliveries;
    }

    public void status(Context ctx) {
        ctx.json(status());
    }

    public void stats(Context ctx) {
        ctx.json(Map.of("channels", runtime.metrics().snapshot()));
    }

    public void deleteSession(Context ctx) {
        if (!runtime.sessions().delete(ctx.pathParam("key"))) throw notFound("session " + ctx.pathParam("key"));
        ctx.status(204);
    }

    /** The runtime's meters in Prometheus' text format. */
    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(runtime.meterRegistry().scrape());
    }

    Map<String, Object> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("version", version());
        body.put("startedAt", runtime.startedAt());
        body.put(
                "uptimeSeconds",
                Duration.between(runtime.startedAt(), runtime.clock().instant()).toSeconds());
        List<Map<String, Object>> channels = new ArrayList<>();
        for (ChannelStatus s : runtime.channels().statuses()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", s.name());
            c.put("state", s.state().label());
            c.put("lastError", s.lastError());
            BaseChannel channel = runtime.channels().channel(s.name());
            if (channel.singleConnection()) c.put("holder", holder(s.name()));
            if (channel instanceof PlatformWebhook p) {
                try {
                    c.put("webhook", p.webhookStatus());
                } catch (RuntimeException e) {
                    c.put("webhook", Map.of("error", String.valueOf(e.getMessage())));
                }
            }
            channels.add(c);
        }
        body.put("channels", channels);
        body.put(
                "queues",
                Map.of(
                        "inbound", runtime.bus().inboundDepth(),
                        "outbound", runtime.bus().outboundDepth(),
                        "storeWrites", runtime.store().queuedWrites(),
                        "webhookDeliveries", pendingDeliveries.getAsInt()));
        body.put("instances", runtime.instances().list());
        return body;
    }

    /** The instance holding the channel's single connection, or null (also when the database cannot say now). */
    private String holder(String channel) {
        try {
            return runtime.holder(channel).orElse(null);
        } catch (RuntimeException e) {
            log.warn("Status: could not read who holds channel {}: {}", channel, e.getMessage());
            return null;
        }
    }

    static String version() {
        String v = AdminApi.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public void sessions(Context ctx) {
        String prefix = ctx.queryParam("prefix");
        int limit = Api.limit(ctx, "limit", 100, 1000);
        ctx.json(Map.of("sessions", runtime.sessions().list(prefix == null ? "" : prefix, limit)));
    }

    public void messages(Context ctx) {
        String key = ctx.pathParam("key");
        int limit = Api.limit(ctx, "limit", 50, 1000);
        var history = runtime.sessions().history(key, limit);
        if (history.isEmpty()
                && runtime.sessions().list(key, 100).stream()
                        .noneMatch(s -> s.sessionKey().equals(key))) throw notFound("session " + key);
        ctx.json(Map.of("sessionKey", key, "messages", history));
    }

    private PlatformWebhook platform(Context ctx) {
        String name = ctx.pathParam("name");
        BaseChannel channel = runtime.channels().channel(name);
        if (channel == null) throw notFound("channel " + name + " (is it enabled?)");
        if (!(channel instanceof PlatformWebhook p))
            throw new Api.Error(409, "channel " + name + " does not take platform webhooks");
        return p;
    }

    public void registerWebhook(Context ctx) {
        PlatformWebhook p = platform(ctx);
        String url = Api.text(Api.object(ctx), "url", 2048);
        if (!url.startsWith("https://") && !url.startsWith("http://"))
            throw badRequest("url", "must be the public http(s) URL of this hub's webhook route");
        try {
            p.registerWebhook(url);
        } catch (UnsupportedOperationException e) {
            throw new Api.Error(501, e.getMessage());
        } catch (IllegalStateException e) {
            throw new Api.Error(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw badRequest("url", e.getMessage());
        } catch (Exception e) {
            log.warn("Registering the {} webhook failed: {}", ctx.pathParam("name"), e.getMessage());
            throw new Api.Error(502, "the platform refused the webhook: " + e.getMessage());
        }
        ctx.json(p.webhookStatus());
    }

    public void unregisterWebhook(Context ctx) {
        PlatformWebhook p = platform(ctx);
        try {
            p.unregisterWebhook();
        } catch (UnsupportedOperationException e) {
            throw new Api.Error(501, e.getMessage());
        } catch (IllegalStateException e) {
            throw new Api.Error(409, e.getMessage());
        } catch (Exception e) {
            log.warn("Removing the {} webhook failed: {}", ctx.pathParam("name"), e.getMessage());
            throw new Api.Error(502, "the platform refused to remove the webhook: " + e.getMessage());
        }
        ctx.json(p.webhookStatus());
    }
}
