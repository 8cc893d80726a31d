package io.connectorhub.channel.discord;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.ChannelContext;
import io.connectorhub.core.CommonChannelSettings;
import io.connectorhub.core.HubException;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.SessionDisconnectEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Discord bot through JDA: DMs, server text channels and threads. JDA keeps the gateway connection (heartbeats,
 * RESUME after a drop, so events missed meanwhile are replayed; if Discord refuses the resume, {@link GapRecovery}
 * fetches them) and queues REST calls by Discord's rate-limit buckets, honouring 429s. Lifecycle per {@link BaseChannel}; {@link #send} is thread-safe.
 */
public final class DiscordChannel extends BaseChannel {
    public static final String NAME = "discord";

    /** Only what a chat bot needs; MESSAGE_CONTENT is privileged and must be enabled in the developer portal. */
    static final EnumSet<GatewayIntent> INTENTS =
            EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES, GatewayIntent.MESSAGE_CONTENT);

    static final String INTENT_HELP = "Discord refused the gateway connection with close code 4014 (disallowed"
            + " intents): the bot may not read message content. Open https://discord.com/developers/applications,"
            + " pick the application, go to Bot > Privileged Gateway Intents, switch on MESSAGE CONTENT INTENT,"
            + " save, and restart the hub. The Discord channel stays stopped until then.";

    private static final Logger log = LoggerFactory.getLogger(DiscordChannel.class);
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    /** Tries to hand a message to the hub; the waits between them double from the first, up to 30 s (~1.5 min). */
    static final int ACCEPT_ATTEMPTS = 8;

    private static final Duration MAX_ACCEPT_WAIT = Duration.ofSeconds(30);

    private final DiscordSettings config;
    private final ChannelContext context;
    private final InboundMapper mapper;
    private final ReplyStreams streams;
    private final GapRecovery gaps = new GapRecovery();
    private final TypingRepeater typing;
    private final Duration firstAcceptWait;
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile JDA jda;
    private volatile boolean stopping;
    private volatile boolean startWaits;
    private GapMarks marks;
    private volatile ScheduledExecutorService flusher;
    /** Whether the next session fetches what was written since the stored marks (another session held them). */
    private volatile boolean recoverOnReady;

    public DiscordChannel(CommonChannelSettings common, DiscordSettings config, ChannelContext context) {
        this(common, config, context, Duration.ofSeconds(1), Duration.ofSeconds(8));
    }

    /**
     * @param firstAcceptWait the wait before the second try to hand a message to the hub
     * @param typingEvery how often "typing…" is sent again while the agent works (Discord shows it ~10 s)
     */
    DiscordChannel(
            CommonChannelSettings common,
            DiscordSettings config,
            ChannelContext context,
            Duration firstAcceptWait,
            Duration typingEvery) {
        super(NAME, common.allowList());
        this.config = config;
        this.context = context;
        this.mapper = new InboundMapper(NAME, common.groupPolicy(), config.allowChannels());
        this.streams = new ReplyStreams(config.streamEditInterval(), context.clock());
        this.typing = new TypingRepeater(typingEvery, context.clock());
        this.firstAcceptWait = firstAcceptWait;
    }

    /** Opens this module's table of gap marks; JDA both receives and sends, so {@link #openConnection} connects. */
    @Override
    public void start() {
        marks = new GapMarks(context.state(GapMarks.MODULE), context.clock()::millis);
    }

    /** The gateway session may be open once per bot. */
    @Override
    public boolean singleConnection() {
        return true;
    }

    /** JDA sends through the gateway session, so only the instance holding it sends Discord replies. */
    @Override
    public boolean sendsOverConnection() {
        return true;
    }

    /** Logs in and waits (up to 30 s) for the gateway session; fails at once on a refused token or intents. */
    @Override
    public void openConnection() throws Exception {
        gaps.restore(marks.load());
        recoverOnReady = !gaps.remembered().isEmpty();
        flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("discord-gap-marks").daemon().factory());
        flusher.scheduleWithFixedDelay(this::saveMarks, 1, 1, TimeUnit.SECONDS);
        stopping = false;
        ready = new CompletableFuture<>();
        startWaits = true;
        try {
            jda = connect();
            ready.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InvalidTokenException e) {
            throw new HubException("Discord refused channels.discord.token (401): set DISCORD_BOT_TOKEN or"
                    + " channels.discord.token to the token under Bot > Reset Token in the developer portal");
        } catch (TimeoutException e) {
            reportError("not connected to the Discord gateway yet; still trying");
            log.warn("Discord gateway not ready after {}s; JDA keeps trying in the background", START_WAIT.toSeconds());
        } catch (ExecutionException e) {
            closeConnection();
            throw new HubException(e.getCause().getMessage(), e.getCause());
        } finally {
            startWaits = false;
        }
    }

    private JDA connect() {
        String apiUrl = config.apiUrl().endsWith("/") ? config.apiUrl() : config.apiUrl() + "/";
        return JDABuilder.createLight(config.token(), INTENTS)
                .disableCache(EnumSet.allOf(CacheFlag.class))
                .setRestConfig(new RestConfig().setBaseUrl(apiUrl))
                .setHttpClientBuilder(context.http().newBuilder())
                .setSessionController(new GatewayLocator(config.gatewayUrl(), apiUrl, config.token(), context.http()))
                // A chat bot's gateway traffic is small; plain JSON frames keep it simple to inspect.
                .setCompression(Compression.NONE)
                .setAutoReconnect(true)
                .setEnableShutdownHook(false)
                .addEventListeners(new Events())
                .build();
    }

    @Override
    public void stop() {
        closeConnection();
        typing.close();
    }

    /** Stores the gap marks that moved; a failure is logged and they are stored with the next ones. */
    private void saveMarks() {
        Map<String, GapRecovery.Seen> changed = gaps.changed();
        try {
            marks.save(changed);
        } catch (RuntimeException e) {
            changed.forEach((channel, seen) -> gaps.saw(channel, seen.messageId(), seen.dmUserId()));
            log.warn("Could not store the Discord gap marks of {} channels: {}", changed.size(), e.getMessage());
        }
    }

    /** Ends the gateway session (and with it sending: JDA needs it). */
    @Override
    public void closeConnection() {
        ScheduledExecutorService saving = flusher;
        flusher = null;
        if (saving != null) {
            saving.shutdownNow();
            saveMarks();
        }
        stopping = true;
        JDA current = jda;
        jda = null;
        if (current == null) return;
        current.shutdown();
        try {
            if (!current.awaitShutdown(5, TimeUnit.SECONDS)) current.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.shutdownNow();
        }
    }

    @Override
    public void send(OutboundMessage message) throws Exception {
        JDA current = jda;
        if (current == null || current.getStatus() == JDA.Status.SHUTDOWN) {
            throw new HubException(
                    "the Discord channel is not connected" + (lastError() != null ? ": " + lastError() : ""));
        }
        MessageChannel channel = resolve(current, message);
        switch (message.kind()) {
            case TYPING -> {
                channel.sendTyping().complete();
                typing.repeat(message.chatId(), channel);
            }
            case DELTA -> streams.delta(channel, message);
            case MESSAGE -> {
                try {
                    streams.complete(channel, message);
                } finally {
                    typing.stop(message.chatId());
                }
            }
        }
    }

    /** The cached channel, or for a DM after a restart the DM opened again with the user who wrote. */
    private static MessageChannel resolve(JDA jda, OutboundMessage message) {
        MessageChannel channel = jda.getChannelById(MessageChannel.class, message.chatId());
        if (channel != null) return channel;
        PrivateChannel dm = jda.getPrivateChannelById(message.chatId());
        if (dm != null) return dm;
        String user = message.metadata().get(InboundMapper.USER_ID);
        if (user != null && !message.metadata().containsKey(InboundMapper.GUILD_ID)) {
            return jda.openPrivateChannelById(user).complete();
        }
        throw new HubException("Discord channel " + message.chatId()
                + " is not visible to the bot: it was deleted, or the bot was removed from its server");
    }

    /**
     * Hands the message to the hub and only then notes it as seen, so gap recovery never skips a message that did not
     * reach the inbox. If that fails (the store failed, or the bus stayed full), it is tried again in the background:
     * the gateway never delivers it again.
     */
    private void handle(Message message, User self) {
        Optional<InboundMessage> mapped = mapper.map(message, self);
        if (mapped.isEmpty()) {
            gaps.saw(message);
            return;
        }
        InboundMessage in = mapped.get();
        try {
            context.inbound().accept(in);
            gaps.saw(message);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not take Discord message {} in channel {}: {}; trying again up to {} times",
                    in.id(),
                    in.chatId(),
                    e.getMessage(),
                    ACCEPT_ATTEMPTS - 1);
            // Never wait on JDA's event thread: the events behind this one would wait too.
            Thread.ofVirtual().name("discord-accept-" + in.id()).start(() -> acceptLater(message, in));
        }
    }

    /**
     * Tries again with growing waits. Safe to repeat: the inbox knows the message by its id, so a message stored by an
     * earlier try (whose publish to the bus failed) is not stored twice but published again.
     */
    private void acceptLater(Message message, InboundMessage in) {
        Duration wait = firstAcceptWait;
        String lastError = null;
        for (int attempt = 2; attempt <= ACCEPT_ATTEMPTS && !stopping; attempt++) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                context.inbound().accept(in);
                gaps.saw(message);
                log.info("Took Discord message {} in channel {} at try {}", in.id(), in.chatId(), attempt);
                return;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
            wait = wait.multipliedBy(2).compareTo(MAX_ACCEPT_WAIT) > 0 ? MAX_ACCEPT_WAIT : wait.multipliedBy(2);
        }
        log.error(
                "Gave up on Discord message {} in channel {} from user {}: the hub could not take it ({}); it is not"
                        + " answered, ask the sender to write again",
                in.id(),
                in.chatId(),
                in.senderId(),
                lastError != null ? lastError : "the channel stopped");
    }

    /** JDA's events, delivered on its gateway thread in order. */
    private final class Events extends ListenerAdapter {
        @Override
        public void onReady(ReadyEvent event) {
            reportError(null);
            ready.complete(null);
            if (recoverOnReady) {
                recoverOnReady = false;
                log.info("Discord: fetching the messages written since the last gateway session (this instance's"
                        + " or another's)");
                recover(event.getJDA());
            }
            log.info(
                    "Discord connected as {} (id {}), in {} servers",
                    event.getJDA().getSelfUser().getName(),
                    event.getJDA().getSelfUser().getId(),
                    event.getGuildTotalCount());
        }

        @Override
        public void onSessionDisconnect(SessionDisconnectEvent event) {
            if (!stopping) reportError("disconnected from the Discord gateway; resuming");
        }

        @Override
        public void onSessionResume(SessionResumeEvent event) {
            reportError(null);
            log.info("Discord gateway session resumed; missed events are replayed");
        }

        @Override
        public void onSessionRecreate(SessionRecreateEvent event) {
            reportError(null);
            log.warn("Discord did not resume the gateway session; fetching the messages written meanwhile");
            recover(event.getJDA());
        }

        private void recover(JDA current) {
            Thread.ofVirtual().name("discord-gap-recovery").start(() -> {
                for (Message missed : gaps.missed(current)) handle(missed, current.getSelfUser());
            });
        }

        @Override
        public void onShutdown(ShutdownEvent event) {
            if (stopping) return;
            String problem = event.getCloseCode() == CloseCode.DISALLOWED_INTENTS
                    ? INTENT_HELP
                    : "the Discord gateway connection ended for good (close code " + event.getCode()
                            + "); restart the hub to reconnect";
            // While start() waits, it reports the problem (the channel is marked failed); afterwards, this does.
            boolean reported = startWaits && ready.completeExceptionally(new HubException(problem));
            if (reported) reportError(problem);
            else reportFailure(problem);
        }

        @Override
        public void onMessageReceived(MessageReceivedEvent event) {
            handle(event.getMessage(), event.getJDA().getSelfUser());
        }
    }
}
