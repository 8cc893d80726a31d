package io.connectorhub.app.admin;

import io.connectorhub.app.webhooks.DeliveryWorker;
import io.connectorhub.app.webhooks.HookChannel;
import io.connectorhub.app.webhooks.OutboundWebhooks;
import io.connectorhub.app.webhooks.WebhookStore;
import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.config.WebhooksConfig;
import io.connectorhub.core.AllowList;
import io.connectorhub.core.GeneratedSecret;
import io.connectorhub.core.UserTokens;
import io.connectorhub.core.internal.AdminAuth;
import io.connectorhub.core.internal.HubRuntime;
import io.connectorhub.core.internal.net.TargetGuard;
import java.io.PrintStream;
import java.nio.file.Path;
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
     * Adds the admin API, webhooks and hooks to {@code runtime}; returns the checker of admin tokens and of admin
     * users' access tokens ({@code users}).
     */
    public static AdminAuth install(HubRuntime runtime, HubConfig config, PrintStream console, UserTokens users) {
        AdminAuth auth = new AdminAuth(
                tokens(config.admin(), runtime.channelContext().dataDir(), console),
                runtime.channelContext().authFailures(),
                users);
        WebhooksConfig wh = config.webhooks();
        TargetGuard guard = new TargetGuard(wh.allowPrivateTargets(), "webhooks.allowPrivateTargets", Dns.SYSTEM);
        WebhookStore store = new WebhookStore(runtime.state(WebhookStore.MODULE), runtime.clock());
        store.prune(config.store().retention());
        runtime.queueDepth("webhook_deliveries", store::pending);
        DeliveryWorker worker = new DeliveryWorker(
                store,
                DeliveryWorker.client(runtime.channelContext().http(), guard, wh.timeout()),
                runtime.clock(),
                new DeliveryWorker.Settings(wh.maxAttempts(), WebhooksConfig.RETRY_SCHEDULE, wh.disableAfter()));
        OutboundWebhooks webhooks = new OutboundWebhooks(store, guard, worker, runtime.clock(), wh.rotationGrace());
        HookChannel hooks = new HookChannel(
                AllowList.of(wh.hooksAllowFrom()),
                store,
                runtime.channelContext().inbound(),
                guard,
                worker,
                webhooks,
                runtime.metrics(),
                runtime.clock(),
                auth.failures());
        AdminApi api = new AdminApi(runtime, store::pending);
        runtime.events().subscribe(webhooks::onEvent);
        runtime.addChannel(hooks);
        runtime.addService(worker);
        runtime.addRoutes(http -> {
            Api.mountErrors(http);
            api.mount(http, auth);
            webhooks.mount(http, auth);
            hooks.mountAdmin(http, auth);
        });
        return auth;
    }

    static List<AdminAuth.Token> tokens(AdminConfig admin, Path dataDir, PrintStream console) {
        if (admin.tokens().isEmpty()) {
            String token =
                    GeneratedSecret.loadOrCreate(dataDir.resolve(TOKEN_FILE), "admin token", "admin.tokens", console);
            return List.of(new AdminAuth.Token(token, new HashSet<>(AdminConfig.SCOPES)));
        }
        return admin.tokens().stream()
                .map(t -> new AdminAuth.Token(t.token(), new HashSet<>(t.scopes())))
                .toList();
    }
}
