package io.connectorhub.app.admin;

import io.connectorhub.agent.remote.GatewayApi;
import io.connectorhub.app.http.Api;
import io.connectorhub.app.webhooks.DeliveryWorker;
import io.connectorhub.app.webhooks.HookChannel;
import io.connectorhub.app.webhooks.HookMessages;
import io.connectorhub.app.webhooks.Hooks;
import io.connectorhub.app.webhooks.OutboundWebhooks;
import io.connectorhub.app.webhooks.WebhookDeliveries;
import io.connectorhub.app.webhooks.WebhookEndpoints;
import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.config.WebhooksConfig;
import io.connectorhub.core.AllowList;
import io.connectorhub.core.GeneratedSecrets;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.UserTokens;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.net.TargetGuard;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import okhttp3.Dns;

/**
 * Adds the admin API, the outbound webhooks (worker and event listener) and the inbound hooks channel to a runtime
 * that is being configured. With no {@code admin.tokens}, one token with both scopes is generated on first run.
 */
public final class AdminSetup {
    public static final String TOKEN_FILE = "admin.token";

    private AdminSetup() {}

    /**
     * Adds the admin API, webhooks and hooks to {@code runtime}, and mounts every admin route through
     * {@link AdminRoutes}, those of the gateways among them; returns the checker of admin tokens and of admin users'
     * access tokens ({@code users}).
     */
    public static AdminAuth install(
            HubRuntime runtime,
            HubConfig config,
            PrintStream console,
            GatewayApi gateways,
            LiveAdminRoutes live,
            UserTokens users) {
        AdminAuth auth = new AdminAuth(
                tokens(config.admin(), runtime.channelContext().secrets(), console),
                runtime.channelContext().authFailures(),
                users);
        WebhooksConfig wh = config.webhooks();
        TargetGuard guard = new TargetGuard(wh.allowPrivateTargets(), "webhooks.allowPrivateTargets", Dns.SYSTEM);
        ModuleState tables = runtime.state(WebhookDeliveries.MODULE);
        WebhookDeliveries deliveries = new WebhookDeliveries(tables, runtime.clock());
        WebhookEndpoints endpoints = new WebhookEndpoints(tables, runtime.clock());
        Hooks hookTable = new Hooks(tables, runtime.clock());
        HookMessages hookMessages = new HookMessages(tables, runtime.clock());
        deliveries.prune(config.store().retention());
        hookMessages.prune(config.store().retention());
        runtime.queueDepth("webhook_deliveries", deliveries::pending);
        DeliveryWorker worker = new DeliveryWorker(
                deliveries,
                endpoints,
                hookTable,
                DeliveryWorker.client(runtime.channelContext().http(), guard, wh.timeout()),
                runtime.clock(),
                new DeliveryWorker.Settings(wh.maxAttempts(), WebhooksConfig.RETRY_SCHEDULE, wh.disableAfter()));
        OutboundWebhooks webhooks =
                new OutboundWebhooks(endpoints, deliveries, guard, worker, runtime.clock(), wh.rotationGrace());
        HookChannel hooks = new HookChannel(
                AllowList.of(wh.hooksAllowFrom()),
                hookTable,
                hookMessages,
                runtime.channelContext().inbound(),
                guard,
                worker,
                webhooks,
                runtime.metrics(),
                runtime.clock(),
                auth.failures());
        AdminRoutes routes =
                new AdminRoutes(new AdminApi(runtime, deliveries::pending), live, webhooks, hooks, gateways);
        runtime.events().subscribe(webhooks::onEvent);
        runtime.addChannel(hooks);
        runtime.addService(worker);
        runtime.addRoutes(Api::mountErrors); // for the admin routes and the hooks channel's own
        runtime.addRoutes(http -> routes.mount(http, auth));
        return auth;
    }

    static List<AdminAuth.Token> tokens(AdminConfig admin, GeneratedSecrets secrets, PrintStream console) {
        if (admin.tokens().isEmpty()) {
            String token = secrets.loadOrCreate(TOKEN_FILE, "admin token", "admin.tokens", console);
            return List.of(new AdminAuth.Token(token, new HashSet<>(AdminConfig.SCOPES)));
        }
        return admin.tokens().stream()
                .map(t -> new AdminAuth.Token(t.token(), new HashSet<>(t.scopes())))
                .toList();
    }
}
