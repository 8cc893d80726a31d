package io.connectorhub.core.internal;

import io.connectorhub.core.AgentDirectory;
import io.connectorhub.core.AuthFailures;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.FailureLog;
import io.connectorhub.core.GeneratedSecrets;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.LinkedSenders;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.ModuleState;
import io.connectorhub.core.Revocations;
import io.connectorhub.core.Service;
import io.connectorhub.core.SessionStore;
import io.connectorhub.core.UserTokens;
import io.connectorhub.core.internal.net.TrustedProxies;
import io.connectorhub.core.internal.store.ChannelLocks;
import io.connectorhub.core.internal.store.Instances;
import io.connectorhub.core.internal.store.PostgresStore;
import io.connectorhub.core.internal.store.PostgresUrl;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreFailures;
import io.connectorhub.core.internal.store.StoreInbox;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoreSessions;
import io.connectorhub.core.internal.store.StoredSecrets;
import io.connectorhub.core.internal.store.Wakeups;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running core of a hub: store, bus, channel manager, HTTP server and the services plugged into it (the agent
 * loop). Built by {@link #open}, configured with channels, services and routes, then {@link #start()}ed once.
 *
 * <p>Start-up order: {@link #open} locks the data directory (a second hub on it is refused before anything in it is
 * opened), then opens the store. {@link #start()} binds the HTTP port (so a start that fails on the port has touched
 * no stored state), then writes this instance's first heartbeat, takes back its leases, prunes, marks what waited
 * too long expired, starts the services, publishes again what a stop left in the inbox and outbox, starts the
 * channels, and beats every {@code cluster.heartbeat}, taking over the messages of dead instances. Until then
 * {@code /health} answers 503 {@code starting} and every other route 503; then the hub is ready. {@link #close()}
 * runs it backwards ({@code /health} answers 503 {@code stopping} until the port closes) and is idempotent. Not
 * thread-safe while configuring; thread-safe once started.
 */
public final class HubRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);
    /** How often the inbox is swept for stored messages that never reached the agent loop (see sweepInbox). */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);
    /** A pending message younger than this is assumed to be on its way through the bus. */
    static final Duration SWEEP_MIN_AGE = Duration.ofSeconds(30);
    /** How often an instance in standby tries to take a single-connection channel's lock. */
    static final Duration LOCK_RETRY = Duration.ofSeconds(2);

    /**
     * Settings of the runtime itself; the assembly maps them from the configuration.
     *
     * @param storeUrl the PostgreSQL server to keep every table on ({@code store.url}); null: SQLite in {@code dataDir}
     * @param storePoolSize at most this many connections to PostgreSQL ({@code store.poolSize})
     * @param lease how long the agent loop may work on one message before another worker may take it over
     *     ({@code agentLoop.lease}); a message is admitted claimed by this instance for that long
     * @param maxMessageAge a message stored longer ago than this and not answered is marked expired instead of being
     *     answered ({@code recovery.maxMessageAge}); zero: no limit
     * @param maxReplyAge a reply stored longer ago than this and not sent is marked expired instead of being sent
     *     ({@code recovery.maxReplyAge}); zero: no limit
     * @param authFailuresPerMinute failed credential checks a client IP may make per minute before it is locked out
     * @param trustedProxies reverse proxies whose {@code X-Forwarded-For} names the client (addresses or CIDRs)
     * @param heartbeat how often this instance records in the store that it is alive ({@code cluster.heartbeat})
     * @param deadAfter an instance whose last heartbeat is older than this is dead: the others take over the messages
     *     it held ({@code cluster.deadAfter})
     */
    public record Settings(
            String host,
            int port,
            long maxRequestBytes,
            Path dataDir,
            String storeUrl,
            int storePoolSize,
            int inboundCapacity,
            int outboundCapacity,
            Duration publishTimeout,
            int sendConcurrency,
            Duration retention,
            Duration lease,
            Duration maxMessageAge,
            Duration maxReplyAge,
            int authFailuresPerMinute,
            List<String> trustedProxies,
            Duration heartbeat,
            Duration deadAfter) {
        public Settings {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /** Where the runtime is in its life; {@code /health} answers 200 only when {@code READY}. */
    private enum Phase {
        STARTING,
        READY,
        STOPPING
    }

    private final Settings settings;
    private final Clock clock;
    private final DataDirectory dataDir;
    private final Store store;
    private final StoreInbox inbox;
    private final StoreOutbox outbox;
    private final StoreSessions sessions;
    private final MessageBus bus;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final HubMetrics metrics;
    private final String instanceId;
    private final Instances instances;
    private final FailureLog failures;
    private final HubEvents events = new HubEvents();
    private final ChannelManager channels;
    private final OkHttpClient http;
    private final ChannelContext channelContext;
    private volatile AgentDirectory agents = (channel, sender) -> List.of();
    private volatile UserTokens users = UserTokens.none();
    private volatile Revocations revocations = principal -> false;
    private volatile Consumer<String> cutOffs = notice -> {};
    private volatile LinkedSenders linked = LinkedSenders.none();
    private final List<Service> services = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> routes = new ArrayList<>();
    private final Instant createdAt;
    private HttpServer server;
    private ScheduledExecutorService sweeper;
    private Wakeups wakeups;
    private final Recovery recovery;
    private volatile Phase phase = Phase.STARTING;
    private boolean closed;

    private HubRuntime(Settings settings, Clock clock, DataDirectory dataDir, Store store, String instanceId) {
        this.settings = settings;
        this.clock = clock;
        this.createdAt = clock.instant();
        this.dataDir = dataDir;
        this.store = store;
        this.instanceId = instanceId;
        this.instances = new Instances(store, clock);
        // every series names the instance; not "instance", which Prometheus sets to the scraped target
        registry.config().commonTags("hub_instance", instanceId);
        this.metrics = new HubMetrics(registry);
        // The bus is in-process: this instance's agent loop takes whatever this instance admits, so the admission
        // claims the message for it (StoreInbox). A bus shared between instances must admit messages pending.
        this.inbox = new StoreInbox(store, instanceId, clock, settings.lease());
        this.outbox = new StoreOutbox(store, instanceId, clock);
        this.sessions = new StoreSessions(store, clock);
        this.failures = new StoreFailures(store);
        this.bus =
                new QueueMessageBus(settings.inboundCapacity(), settings.outboundCapacity(), settings.publishTimeout());
        this.channels = new ChannelManager(
                bus,
                outbox,
                metrics,
                events,
                new ChannelManager.Settings(
                        settings.sendConcurrency(), settings.maxReplyAge(), ChannelManager.Settings.RETRY_BACKOFF));
        this.http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .build();
        this.recovery = new Recovery(settings, instanceId, createdAt, inbox, outbox, instances, bus, channels, metrics);
        if (store instanceof PostgresStore postgres)
            channels.useLocks(
                    new ChannelLocks(postgres, instanceId, LOCK_RETRY, this::acquired, channels::lost),
                    outbox::giveBack);
        bindMeters();
        this.channelContext = new ChannelContext(
                new InboxGate(inbox, bus, metrics, events),
                sessions,
                outbox,
                http,
                settings.dataDir(),
                store::state,
                metrics,
                clock,
                new AuthFailures(settings.authFailuresPerMinute(), failures, clock),
                (channel, sender) -> agents.choosable(channel, sender),
                token -> users.check(token),
                principal -> revocations.revoked(principal),
                store instanceof PostgresStore
                        ? new StoredSecrets(store, clock)
                        : GeneratedSecrets.inDirectory(settings.dataDir()));
    }

    /** The JVM's meters, the queues, the uptime and every HTTP request; channels' states are added with them. */
    private void bindMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        queueDepth("inbound", bus::inboundDepth);
        queueDepth("outbound", bus::outboundDepth);
        TimeGauge.builder(
                        "hub.uptime",
                        this,
                        TimeUnit.SECONDS,
                        r -> Duration.between(r.createdAt, r.clock.instant()).toSeconds())
                .description("Seconds since the hub started.")
                .register(registry);
        routes.add(config -> HttpMetrics.mount(config, registry));
    }

    /**
     * Opens the channel whose lock this instance now holds, then sends the replies that waited for it: those the other
     * instances gave back because they cannot send on it, and those left while nobody held it.
     */
    private void acquired(String channel) {
        channels.acquired(channel);
        try {
            recovery.takeOverReplies();
        } catch (RuntimeException e) {
            log.warn("Channel {}: could not take the replies waiting for it: {}", channel, e.getMessage());
        }
    }

    /** Adds {@code hub_queue_depth{queue}}: the messages waiting in a queue. */
    public void queueDepth(String queue, Supplier<Number> depth) {
        Gauge.builder("hub.queue.depth", depth)
                .description("Messages waiting in a queue.")
                .tag("queue", queue)
                .register(registry);
    }

    /**
     * Locks {@code settings.dataDir()} (creating it, readable by its owner only) and opens the store in it (creating
     * it and migrating the schema). Throws {@link HubException} if another hub holds the directory.
     */
    public static HubRuntime open(Settings settings, Clock clock) {
        DataDirectory dir = DataDirectory.lock(settings.dataDir());
        Store store = null;
        try {
            store = settings.storeUrl() == null
                    ? Store.open(dir.path().resolve("hub.db"))
                    : PostgresStore.open(
                            PostgresUrl.parse(settings.storeUrl(), "store.url"), settings.storePoolSize(), "store.url");
            return new HubRuntime(settings, clock, dir, store, dir.instanceId());
        } catch (RuntimeException | Error e) {
            if (store != null) store.close();
            dir.close();
            throw e;
        }
    }

    public ChannelContext channelContext() {
        return channelContext;
    }

    /**
     * Tells channels ({@link ChannelContext#agents()}) which agents a sender may choose; until it is called, none.
     * Called by whoever installs the agents, before {@link #start()}.
     */
    public HubRuntime useAgents(AgentDirectory directory) {
        this.agents = directory;
        return this;
    }

    /**
     * Lets channels ({@link ChannelContext#users()}) accept users' access tokens, checked by {@code users} and cut
     * off by {@code revocations}; until it is called, they know no user. On PostgreSQL, {@code cutOffs} gets what any
     * instance sends on {@link Revocations#CHANNEL}. Called before {@link #start()}.
     */
    public HubRuntime users(UserTokens users, Revocations revocations, Consumer<String> cutOffs) {
        this.users = users;
        this.revocations = revocations;
        this.cutOffs = cutOffs;
        return this;
    }

    /**
     * Lets the agent loop ({@link #linkedSenders()}) take {@code /link} and admit linked senders, as {@code linked}
     * says; until it is called, nobody is linked. Called before {@link #start()}.
     */
    public HubRuntime linkedSenders(LinkedSenders linked) {
        this.linked = linked;
        return this;
    }

    /** The chat accounts linked to users: whatever {@link #linkedSenders(LinkedSenders)} installed, when asked. */
    public LinkedSenders linkedSenders() {
        return new LinkedSenders() {
            @Override
            public String userOf(String channel, String senderId) {
                return linked.userOf(channel, senderId);
            }

            @Override
            public String link(String channel, String senderId, String code) {
                return linked.link(channel, senderId, code);
            }

            @Override
            public void direct(String channel, String senderId, String sessionKey) {
                linked.direct(channel, senderId, sessionKey);
            }
        };
    }

    public HubRuntime addChannel(BaseChannel channel) {
        channels.register(channel);
        String name = channel.name();
        Gauge.builder("hub.channel.up", channels, m -> m.state(name) == ChannelStatus.State.RUNNING ? 1 : 0)
                .description("1 if the channel is running.")
                .tag("channel", name)
                .strongReference(true)
                .register(registry);
        return this;
    }

    public HubRuntime addService(Service service) {
        services.add(service);
        return this;
    }

    /** Adds HTTP routes (admin API, webhooks) to the hub's port. */
    public HubRuntime addRoutes(Consumer<JavalinConfig> mount) {
        routes.add(mount);
        return this;
    }

    /** Starts the hub in the order the class comment gives; once it returns, the hub is ready. */
    public void start() throws Exception {
        List<Consumer<JavalinConfig>> mounts = new ArrayList<>();
        mounts.add(config -> config.routes.get(
                "/health", ctx -> ctx.status(phase == Phase.READY ? 200 : 503).json(health())));
        mounts.add(StartingGate.mount(() -> phase == Phase.STARTING));
        mounts.add(channels::mountAll);
        mounts.addAll(routes);
        server = new HttpServer(
                settings.host(),
                settings.port(),
                settings.maxRequestBytes(),
                new TrustedProxies(settings.trustedProxies()),
                mounts);
        server.start(); // first: a port in use fails the start here, before any stored state is touched
        recovery.beat(); // alive before anything is admitted, so no other instance takes this one's messages over
        recovery.beforeServices();
        for (Service s : services) s.start();
        recovery.recoverInbox();
        ReplyRelay relay =
                store instanceof PostgresStore postgres ? new ReplyRelay(postgres, outbox, channels, instanceId) : null;
        if (relay != null) channels.relay(relay::sent);
        channels.startAll(Duration.ofSeconds(30));
        recovery.recoverOutbox();
        if (store instanceof PostgresStore postgres) {
            wakeups = new Wakeups(
                    postgres,
                    Map.of(
                            StoreInbox.WAKE_CHANNEL, recovery::wakeInbox,
                            StoreOutbox.WAKE_CHANNEL, recovery::wakeOutbox,
                            ReplyRelay.CHANNEL, relay::received,
                            Revocations.CHANNEL, notice -> cutOffs.accept(notice)));
            wakeups.start();
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("inbox-sweep").daemon().factory());
        sweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        recovery.beat();
                        recovery.takeOverReplies();
                    } catch (RuntimeException e) {
                        log.warn("Heartbeat failed: {}", e.getMessage());
                    }
                },
                settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        recovery.sweepInbox(SWEEP_MIN_AGE);
                    } catch (RuntimeException e) {
                        log.warn("Inbox sweep failed: {}", e.getMessage());
                    }
                },
                SWEEP_INTERVAL.toMillis(),
                SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        phase = Phase.READY;
    }

    /**
     * Publishes again the messages stored in the inbox but not answered that are older than {@code minAge}: a
     * message admitted while the bus stayed full (its channel may have no way to redeliver, as Discord's gateway
     * has not), or one whose lease ran out because its worker died. Runs only while the inbound queue is empty, so it
     * never competes with live traffic nor re-queues what is already queued; a copy that is queued twice anyway is
     * answered once (the agent loop's claim). First, whatever the queue's state, marks expired the unfinished messages
     * older than {@code recovery.maxMessageAge}, so neither this sweep nor a copy already queued answers them.
     * Returns how many it published.
     */
    public int sweepInbox(Duration minAge) {
        return recovery.sweepInbox(minAge);
    }

    /**
     * What {@code /health} reports: no secrets, no message content. {@code status} is {@code ok} once the hub is
     * ready, {@code starting} before and {@code stopping} after.
     */
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", phase == Phase.READY ? "ok" : phase.name().toLowerCase(Locale.ROOT));
        body.put("uptimeSeconds", Duration.between(createdAt, clock.instant()).toSeconds());
        Map<String, String> states = new LinkedHashMap<>();
        for (ChannelStatus s : channels.statuses())
            states.put(s.name(), s.state().label());
        body.put("channels", states);
        body.put("queues", Map.of("inbound", bus.inboundDepth(), "outbound", bus.outboundDepth()));
        return body;
    }

    public int port() {
        return server.port();
    }

    public MessageBus bus() {
        return bus;
    }

    public Store store() {
        return store;
    }

    /** The tables of {@code module}, migrated on the first call: see {@link ChannelContext#state}. */
    public ModuleState state(String module) {
        return store.state(module);
    }

    public StoreInbox inbox() {
        return inbox;
    }

    /** Failed credential checks and sign-ins, in the store: lockouts built on it hold on every instance. */
    public FailureLog failures() {
        return failures;
    }

    /** The instances sharing the store, with their heartbeats. */
    public Instances instances() {
        return instances;
    }

    /** This instance's id ({@code <dataDir>/instance-id}): it names its leases and labels its metrics. */
    public String instanceId() {
        return instanceId;
    }

    public StoreOutbox outbox() {
        return outbox;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public HubMetrics metrics() {
        return metrics;
    }

    /** Every meter of the hub, for {@code /metrics}; created with the runtime and closed with it. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public ChannelManager channels() {
        return channels;
    }

    /**
     * The id of the instance whose {@code channel} has its single connection open: on PostgreSQL the holder of the
     * channel's lock, on SQLite this instance while the channel runs; empty if none.
     */
    public Optional<String> holder(String channel) {
        if (store instanceof PostgresStore postgres) return ChannelLocks.holder(postgres, channel);
        return channels.state(channel) == ChannelStatus.State.RUNNING ? Optional.of(instanceId) : Optional.empty();
    }

    /** Events (message in, reply out, channel state) for listeners such as the outbound webhooks. */
    public HubEvents events() {
        return events;
    }

    /** When this runtime was opened, by its clock. */
    public Instant startedAt() {
        return createdAt;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Stops the HTTP server, the services (in reverse order), the channels and the store, unlocks the data directory,
     * logging a line for each step ({@code Stopping: HTTP server closed} ... {@code Stopped cleanly in N ms}).
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        recovery.stopWaiting();
        phase = Phase.STOPPING;
        long started = System.nanoTime();
        boolean clean = true;
        if (sweeper != null) sweeper.shutdownNow();
        if (wakeups != null) wakeups.close();
        if (server != null) {
            server.close();
            log.info("Stopping: HTTP server closed");
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (RuntimeException e) {
                clean = false;
                log.warn(
                        "Service {} failed to stop cleanly: {}",
                        services.get(i).getClass().getSimpleName(),
                        e.getMessage());
            }
        }
        channels.close();
        log.info("Stopping: channels stopped");
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        // leaves the queued work to the others at once: pending messages, unsent replies, no heartbeat
        if (!recovery.handBack()) clean = false;
        store.close();
        log.info("Stopping: store closed");
        dataDir.close();
        gcMetrics.close();
        registry.close();
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (clean) log.info("Stopped cleanly in {} ms", ms);
        else log.warn("Stopped in {} ms; a step failed (see above)", ms);
    }
}
