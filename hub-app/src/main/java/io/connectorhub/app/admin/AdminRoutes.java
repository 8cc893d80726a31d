package io.connectorhub.app.admin;

import io.connectorhub.agent.remote.GatewayApi;
import io.connectorhub.app.webhooks.HookChannel;
import io.connectorhub.app.webhooks.OutboundWebhooks;
import io.connectorhub.core.internal.AdminAuth;
import io.javalin.config.JavalinConfig;

/**
 * Every route under {@code /api/v1/} and {@code /metrics}, with who may call it and its handler, in the order of the
 * README's tables (Admin API, then remote agent gateways). Features provide the handlers; only this class mounts
 * them. {@code auth.read} and {@code auth.write} need an admin token with {@code admin.read} or {@code admin.write};
 * the two routes without either check the gateway's or the task's own token. The accounts module mounts its own
 * routes for users ({@code /api/v1/auth/…}, {@code /api/v1/me…}, {@code /api/v1/users…}, {@code /api/v1/invites}),
 * listed in {@code AccountRoutes}.
 */
public record AdminRoutes(
        AdminApi admin, LiveAdminRoutes live, OutboundWebhooks webhooks, HookChannel hooks, GatewayApi gateways) {

    public void mount(JavalinConfig http, AdminAuth auth) {
        var r = http.routes;
        r.get("/api/v1/status", auth.read(admin::status));
        r.get("/api/v1/stats", auth.read(admin::stats));
        r.get("/api/v1/sessions", auth.read(admin::sessions));
        r.get("/api/v1/sessions/{key}/messages", auth.read(admin::messages));
        r.delete("/api/v1/sessions/{key}", auth.write(admin::deleteSession));
        r.get("/metrics", auth.read(admin::metrics));
        r.get("/api/v1/events", auth.read(live.events()));
        r.get("/api/v1/stats/series", auth.read(live::series));
        r.get("/api/v1/config", auth.read(live::config));

        r.post("/api/v1/webhooks", auth.write(webhooks::create));
        r.get("/api/v1/webhooks", auth.read(webhooks::list));
        r.get("/api/v1/webhooks/{id}", auth.read(webhooks::show));
        r.patch("/api/v1/webhooks/{id}", auth.write(webhooks::patch));
        r.delete("/api/v1/webhooks/{id}", auth.write(webhooks::delete));
        r.post("/api/v1/webhooks/{id}/rotate-secret", auth.write(webhooks::rotate));
        r.post("/api/v1/webhooks/{id}/test", auth.write(webhooks::test));
        r.get("/api/v1/webhooks/{id}/deliveries", auth.read(webhooks::deliveries));

        r.post("/api/v1/hooks", auth.write(hooks::create));
        r.get("/api/v1/hooks", auth.read(hooks::list));
        r.delete("/api/v1/hooks/{id}", auth.write(hooks::delete));

        r.post("/api/v1/channels/{name}/webhook", auth.write(admin::registerWebhook));
        r.delete("/api/v1/channels/{name}/webhook", auth.write(admin::unregisterWebhook));

        r.post("/api/v1/gateways", auth.write(gateways::register));
        r.get("/api/v1/gateways", auth.read(gateways::list));
        r.get("/api/v1/gateways/{name}", auth.read(gateways::show));
        r.delete("/api/v1/gateways/{name}", auth.write(gateways::delete));
        r.post("/api/v1/gateways/{name}/heartbeat", gateways::heartbeat); // the gateway's token
        r.post("/api/v1/agent-callbacks/{taskId}", gateways::callback); // the task's token
    }
}
