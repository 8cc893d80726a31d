package io.connectorhub.app.doctor;

import io.connectorhub.config.AgentConfig;
import io.connectorhub.config.ChannelSection;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.CredentialCheck;
import io.connectorhub.core.internal.net.TargetGuard;
import io.connectorhub.core.internal.store.PostgresStore;
import io.connectorhub.core.internal.store.PostgresUrl;
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
 * The live checks of a valid configuration, without a running hub: each enabled channel's credentials (by its
 * module's {@link io.connectorhub.core.ChannelFactory#checkCredentials check}), each
 * {@code openai} agent's API, and the agent gateways and webhook receivers stored in {@code <dataDir>/hub.db}, or in
 * the PostgreSQL database {@code store.url} names. The checks run at the same time, each within {@code timeout}; no
 * secret appears in what they report.
 */
public final class Doctor {
    private static final String STORE_URL = "store.url";

    private final HubConfig config;
    private final Duration timeout;

    public Doctor(HubConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    /** Every check, in a fixed order: channels (by name), agents, the store, gateways, webhooks. */
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
            return run(http, new ApiChecks(http), new TargetChecks(gateways, webhooks));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private List<Check> run(OkHttpClient http, ApiChecks api, TargetChecks targets) throws InterruptedException {
        List<Callable<Check>> checks = new ArrayList<>();
        // A channel whose module has no credentials check gives null, and no line.
        for (ChannelSection<?> channel : config.channels().enabled())
            checks.add(() -> channel.checkCredentials(http)
                    .map(found -> Check.of(channel.name(), found))
                    .orElse(null));
        config.agents().forEach((id, agent) -> {
            if (AgentConfig.OPENAI.equals(agent.type())) checks.add(() -> api.openai(id, agent));
        });
        StoredTargets stored = config.store().postgres() ? postgres(checks) : sqlite(checks);
        if (stored != null) {
            stored.gateways().forEach(g -> checks.add(() -> targets.gateway(g)));
            stored.webhooks().forEach(w -> checks.add(() -> targets.webhook(w)));
        }
        Scrubber scrubber = new Scrubber(config);
        List<Check> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Check> f : pool.invokeAll(checks)) {
                Check check = result(f);
                if (check != null) results.add(check.scrubbed(scrubber));
            }
        }
        return results;
    }

    /** The targets in {@code <dataDir>/hub.db}, with the {@code store} check added to {@code checks}; null if none. */
    private StoredTargets sqlite(List<Callable<Check>> checks) {
        Path db = Path.of(config.store().dataDir()).resolve("hub.db");
        if (!Files.exists(db)) {
            checks.add(() -> Check.ok(
                    "store",
                    db + " does not exist yet (no hub has run with this store.dataDir):"
                            + " no gateways or webhooks to check"));
            return null;
        }
        try {
            StoredTargets stored = StoredTargets.read(db);
            checks.add(() -> Check.ok("store", read(stored) + db));
            return stored;
        } catch (SQLException e) {
            checks.add(() -> Check.fail(
                    "store",
                    "cannot read " + db + ": " + CredentialCheck.shorten(String.valueOf(e.getMessage())),
                    "check store.dataDir and that this user may read the directory and its files"));
            return null;
        }
    }

    /** The targets in the database {@code store.url} names, with the {@code store} check; null if unreadable. */
    private StoredTargets postgres(List<Callable<Check>> checks) {
        PostgresUrl url = PostgresUrl.parse(config.store().url().strip(), STORE_URL);
        try {
            StoredTargets stored = StoredTargets.read(url, timeout);
            checks.add(() -> Check.ok("store", read(stored) + "PostgreSQL at " + url.address()));
            return stored;
        } catch (SQLException e) {
            // one line naming store.url, its fix after the last ": ", as the hub says it at start-up
            String problem = PostgresStore.startupProblem(url, STORE_URL, e);
            int fix = problem.lastIndexOf(": ");
            checks.add(() -> Check.fail("store", problem.substring(0, fix), problem.substring(fix + 2)));
            return null;
        }
    }

    private static String read(StoredTargets stored) {
        return "read " + stored.gateways().size() + " agent gateways and "
                + stored.webhooks().size() + " webhooks from ";
    }

    private static Check result(Future<Check> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return Check.fail("doctor", "a check failed unexpectedly: " + e.getCause(), "report this as a bug");
        }
    }
}
