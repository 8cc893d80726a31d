package io.connectorhub.app.doctor;

import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.internal.net.TargetGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * The live checks of a valid configuration, without a running hub: each enabled platform's credentials, each
 * {@code openai} agent's API, and the agent gateways and webhook receivers stored in {@code <dataDir>/hub.db}. The
 * checks run at the same time, each within {@code timeout}; no secret appears in what they report.
 */
public final class Doctor {
    private final HubConfig config;
    private final Duration timeout;

    public Doctor(HubConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    /** Every check, in a fixed order: platforms, agents, the store, gateways, webhooks. */
    public List<Check> run() throws InterruptedException {
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        OkHttpClient gateways = new TargetGuard(
                        config.gateways().allowPrivateTargets(), "gateways.allowPrivateTargets", Dns.SYSTEM)
                .apply(http.newBuilder())
                .build();
        OkHttpClient webhooks = new TargetGuard(
                        config.webhooks().allowPrivateTargets(), "webhooks.allowPrivateTargets", Dns.SYSTEM)
                .apply(http.newBuilder())
                .build();
        try {
            return run(new ApiChecks(http), new TargetChecks(gateways, webhooks));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private List<Check> run(ApiChecks api, TargetChecks targets) throws InterruptedException {
        var channels = config.channels();
        List<Callable<Check>> checks = new ArrayList<>();
        if (channels.telegram().enabled()) checks.add(() -> api.telegram(channels.telegram()));
        if (channels.discord().enabled()) checks.add(() -> api.discord(channels.discord()));
        if (channels.feishu().enabled()) checks.add(() -> api.feishu(channels.feishu()));
        config.agents().forEach((id, agent) -> {
            if (AgentConfig.OPENAI.equals(agent.type())) checks.add(() -> api.openai(id, agent));
        });
        Path db = Path.of(config.store().dataDir()).resolve("hub.db");
        if (!Files.exists(db)) {
            checks.add(() -> Check.ok(
                    "store",
                    db + " does not exist yet (no hub has run with this store.dataDir):"
                            + " no gateways or webhooks to check"));
        } else {
            try {
                StoredTargets stored = StoredTargets.read(db);
                checks.add(() -> Check.ok(
                        "store",
                        "read " + stored.gateways().size() + " agent gateways and "
                                + stored.webhooks().size() + " webhooks from " + db));
                stored.gateways().forEach(g -> checks.add(() -> targets.gateway(g)));
                stored.webhooks().forEach(w -> checks.add(() -> targets.webhook(w)));
            } catch (SQLException e) {
                checks.add(() -> Check.fail(
                        "store",
                        "cannot read " + db + ": " + ApiChecks.shorten(String.valueOf(e.getMessage())),
                        "check store.dataDir and that this user may read the directory and its files"));
            }
        }
        Scrubber scrubber = new Scrubber(config);
        List<Check> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Check> f : pool.invokeAll(checks)) results.add(result(f).scrubbed(scrubber));
        }
        return results;
    }

    private static Check result(Future<Check> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return Check.fail("doctor", "a check failed unexpectedly: " + e.getCause(), "report this as a bug");
        }
    }
}
