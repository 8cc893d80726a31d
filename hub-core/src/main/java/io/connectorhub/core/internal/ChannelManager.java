package io.connectorhub.core.internal;

import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Outbox;
import io.connectorhub.core.internal.store.ChannelLocks;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the channels: starts and stops them and delivers outbound messages to the right one. Messages for one chat
 * are sent in order; chats and channels are independent, so a slow or failing channel never holds up another. A
 * failed send is logged with channel and chat and counted; a reply (not a typing hint or a stream piece) is tried
 * again after 1 s, 5 s, 30 s, 2 min and 10 min (it stays pending in the outbox meanwhile, so a restart sends it
 * too), then recorded as failed; a reply stored longer than {@code maxReplyAge} ago is marked expired instead of being
 * tried again. A channel with a {@linkplain BaseChannel#singleConnection() single connection} opens it at once on
 * a single instance; with {@link #useLocks} only while this instance holds the channel's lock, and waits in
 * {@code standby} (sending, not receiving) otherwise; in standby a channel that {@linkplain
 * BaseChannel#sendsOverConnection() sends over that connection} gives its replies back in the store instead, for the
 * instance holding it. Thread-safe.
 */
public final class ChannelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelManager.class);

    private final Map<String, BaseChannel> channels = new LinkedHashMap<>();
    private final Map<String, ChannelStatus.State> states = new ConcurrentHashMap<>();
    private final MessageBus bus;
    private final Outbox outbox;
    private final HubMetrics metrics;
    private final SerialLanes lanes;
    private final HubEvents events;
    private final Duration maxReplyAge;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private Thread dispatcher;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("outbound-retry").daemon().factory());
    private final List<Duration> retryBackoff;
    private volatile ChannelLocks locks;
    private volatile Predicate<String> giveBack = id -> false;
    private volatile Consumer<OutboundMessage> sentHere = message -> {};

    /**
     * @param sendConcurrency chats sent to at once
     * @param maxReplyAge a failed reply stored longer ago than this is not tried again but marked expired; zero: no
     *     limit
     * @param retryBackoff the waits before the retries of a failed reply, the last one repeated
     */
    public record Settings(int sendConcurrency, Duration maxReplyAge, List<Duration> retryBackoff) {
        /** The hub's waits before the retries of a failed reply. */
        public static final List<Duration> RETRY_BACKOFF = List.of(
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(2),
                Duration.ofMinutes(10));

        public Settings {
            retryBackoff = List.copyOf(retryBackoff);
        }
    }

    /** @param events told of every reply sent and every change of a channel's state */
    public ChannelManager(MessageBus bus, Outbox outbox, HubMetrics metrics, HubEvents events, Settings settings) {
        this.events = events;
        this.maxReplyAge = settings.maxReplyAge();
        this.retryBackoff = settings.retryBackoff();
        this.bus = bus;
        this.outbox = outbox;
        this.metrics = metrics;
        this.lanes = new SerialLanes(
                "send", settings.sendConcurrency(), (key, t) -> log.error("send lane {} failed", key, t));
    }

    /**
     * Opens single-connection channels only while {@code locks} says this instance holds them (instances sharing a
     * database), and hands each reply of a channel that cannot send here to {@code giveBack} (a reply id; false if
     * this instance did not hold it) rather than sending it; call before {@link #startAll}. The manager closes
     * {@code locks} with the channels.
     */
    public void useLocks(ChannelLocks locks, Predicate<String> giveBack) {
        this.locks = locks;
        this.giveBack = giveBack;
    }

    /**
     * The channels that cannot send from this instance now: those that {@linkplain BaseChannel#sendsOverConnection()
     * send over their single connection} while this instance, sharing the database, does not have it open.
     */
    public Set<String> cannotSendHere() {
        Set<String> names = new HashSet<>();
        for (BaseChannel c : channels()) if (sendsElsewhere(c)) names.add(c.name());
        return names;
    }

    private boolean sendsElsewhere(BaseChannel c) {
        return locks != null && c.sendsOverConnection() && states.get(c.name()) != ChannelStatus.State.RUNNING;
    }

    /** Lock holders only: opens the named channel's single connection, now that this instance holds its lock. */
    public void acquired(String name) {
        BaseChannel c = channel(name);
        if (c == null || !running) return;
        try {
            c.openConnection();
            setState(c, ChannelStatus.State.RUNNING);
            log.info("Channel {}: this instance holds its single connection now and receives", name);
        } catch (Exception | LinkageError e) {
            c.reportError(e.getMessage());
            setState(c, ChannelStatus.State.FAILED);
            log.error("Channel {} failed to open its connection: {}", name, Failures.describe(e));
        }
    }

    /** Lock holders only: closes the named channel's single connection at once, since its lock may be gone. */
    public void lost(String name) {
        BaseChannel c = channel(name);
        if (c == null) return;
        c.closeConnection();
        if (!running) return;
        setState(c, ChannelStatus.State.STANDBY);
        log.warn(
                "Channel {}: lost the database connection holding its lock; stopped receiving (standby) until this"
                        + " instance holds it again",
                name);
    }

    /**
     * Tells {@code sentHere} of every message, reply or streamed piece this instance delivered on a channel that
     * {@link BaseChannel#holdsConnections()}, before the reply is marked sent, so that the other instances sharing the
     * database deliver it to their clients ({@link #deliverHere}). Call before {@link #startAll}.
     */
    public void relay(Consumer<OutboundMessage> sentHere) {
        this.sentHere = sentHere;
    }

    /**
     * Delivers {@code message}, which another instance sent, to this instance's clients of its channel if that channel
     * {@link BaseChannel#holdsConnections()}, in order with this instance's own messages for the chat; nothing is
     * marked in the outbox and a failure is not tried again (the sending instance owns the reply).
     */
    public void deliverHere(OutboundMessage message) {
        BaseChannel channel = channel(message.channel());
        if (channel == null || !channel.holdsConnections()) return;
        lanes.submit(message.channel() + "\u0000" + message.chatId(), () -> {
            try {
                channel.send(message);
            } catch (Exception e) {
                log.debug(
                        "Channel {} could not deliver message {} sent by another instance",
                        channel.name(),
                        message.id(),
                        e);
            }
        });
    }

    /** Adds a channel; call before {@link #mountAll} and {@link #startAll}. */
    public synchronized void register(BaseChannel channel) {
        if (channels.putIfAbsent(channel.name(), channel) != null) {
            throw new HubException("two channels are named '" + channel.name() + "'; channel names must be unique");
        }
        states.put(channel.name(), ChannelStatus.State.CREATED);
        channel.onFailure(() -> {
            setState(channel, ChannelStatus.State.FAILED);
            log.error("Channel {} failed: {}", channel.name(), channel.lastError());
        });
    }

    public synchronized List<BaseChannel> channels() {
        return List.copyOf(channels.values());
    }

    /** True if the named channel exists and allows the sender; unknown channels allow nobody. */
    public boolean isAllowed(String channel, String senderId) {
        BaseChannel c = channel(channel);
        return c != null && c.isAllowed(senderId);
    }

    public synchronized BaseChannel channel(String name) {
        return channels.get(name);
    }

    /** The state of the named channel, or null if there is none. */
    public ChannelStatus.State state(String name) {
        return states.get(name);
    }

    public List<ChannelStatus> statuses() {
        List<ChannelStatus> out = new ArrayList<>();
        for (BaseChannel c : channels()) out.add(new ChannelStatus(c.name(), states.get(c.name()), c.lastError()));
        return out;
    }

    /** Lets every channel add its routes to the HTTP server being configured. */
    public void mountAll(JavalinConfig http) {
        for (BaseChannel c : channels()) c.mount(http);
    }

    /**
     * Starts every channel on its own thread and the outbound dispatcher; returns once all channels have started or
     * failed, or after {@code wait}. A channel that fails to start is marked failed; the others run on.
     */
    public void startAll(Duration wait) throws InterruptedException {
        running = true;
        dispatcher = Thread.ofPlatform().name("outbound-dispatcher").daemon().start(this::dispatch);
        List<BaseChannel> all = channels();
        CountDownLatch done = new CountDownLatch(all.size());
        for (BaseChannel c : all) {
            setState(c, ChannelStatus.State.STARTING);
            Thread.ofVirtual().name("start-" + c.name()).start(() -> {
                try {
                    c.start();
                    ChannelLocks shared = locks;
                    if (!c.singleConnection()) {
                        setState(c, ChannelStatus.State.RUNNING);
                        log.info("Channel {} started", c.name());
                    } else if (shared == null) {
                        c.openConnection();
                        setState(c, ChannelStatus.State.RUNNING);
                        log.info("Channel {} started", c.name());
                    } else {
                        setState(c, ChannelStatus.State.STANDBY);
                        log.info(
                                "Channel {} started in standby: it receives once this instance holds its lock",
                                c.name());
                        shared.want(c.name());
                    }
                } catch (Exception | LinkageError e) {
                    c.reportError(e.getMessage());
                    setState(c, ChannelStatus.State.FAILED);
                    if (Failures.expected(e))
                        log.error("Channel {} failed to start: {}", c.name(), Failures.describe(e));
                    else log.error("Channel {} failed to start: {}", c.name(), e.getMessage(), e);
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn(
                    "Some channels are still starting after {}s; the hub serves the others meanwhile",
                    wait.toSeconds());
        }
    }

    private void setState(BaseChannel c, ChannelStatus.State state) {
        ChannelStatus.State before = states.put(c.name(), state);
        if (before == state) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", c.name());
        data.put("state", state.label());
        if (c.lastError() != null) data.put("last_error", c.lastError());
        events.publish(HubEvents.CHANNEL_STATUS, data);
    }

    private void dispatch() {
        try {
            while (running) {
                OutboundMessage message = bus.takeOutbound(Duration.ofMillis(200));
                if (message != null) submit(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void submit(OutboundMessage message) {
        lanes.submit(message.channel() + "\u0000" + message.chatId(), () -> deliver(message));
    }

    private void deliver(OutboundMessage message) {
        BaseChannel channel = channel(message.channel());
        if (channel == null) {
            if (message.ephemeral()) return;
            metrics.increment(message.channel(), HubMetrics.FAILED);
            log.warn("Cannot send message {}: channel '{}' is not enabled", message.id(), message.channel());
            outbox.markFailed(message.id(), "channel " + message.channel() + " is not enabled");
            return;
        }
        if (sendsElsewhere(channel)) {
            handOver(channel, message);
            return;
        }
        try {
            channel.send(message);
            if (channel.holdsConnections() && message.kind() != OutboundMessage.Kind.TYPING) relay(message);
            if (!message.ephemeral()) {
                failures.remove(message.id());
                outbox.markSent(message.id());
                metrics.increment(channel.name(), HubMetrics.OUTBOUND);
                if (message.inReplyTo() != null) metrics.replied(channel.name(), message.inReplyTo());
                Map<String, Object> sent = new LinkedHashMap<>();
                sent.put("channel", channel.name());
                sent.put("message_id", message.id());
                sent.put("chat", message.chatId());
                sent.put("text", message.content());
                if (message.inReplyTo() != null) sent.put("in_reply_to", message.inReplyTo());
                events.publish(HubEvents.MESSAGE_OUTBOUND, sent);
            }
        } catch (Exception e) {
            metrics.increment(channel.name(), HubMetrics.FAILED);
            log.warn(
                    "Channel {} could not send {} message {} to chat {}: {}",
                    channel.name(),
                    message.kind(),
                    message.id(),
                    message.chatId(),
                    e.getMessage());
            if (!message.ephemeral()) retryOrGiveUp(message, e);
        }
    }

    /**
     * Gives {@code message} back in the store for the instance holding {@code channel}'s connection; a typing hint or
     * a streamed piece is dropped (the holder sends the whole reply). A failed give-back is tried again as a failed
     * send is.
     */
    private void handOver(BaseChannel channel, OutboundMessage message) {
        if (message.ephemeral()) return;
        try {
            boolean given = giveBack.test(message.id());
            failures.remove(message.id());
            log.debug(
                    "Channel {} sends over a connection this instance does not hold: message {} to chat {} {}",
                    channel.name(),
                    message.id(),
                    message.chatId(),
                    given ? "left for the instance holding it" : "was not held here");
        } catch (RuntimeException e) {
            log.warn(
                    "Channel {} could not give message {} back for the instance holding its connection: {}",
                    channel.name(),
                    message.id(),
                    e.getMessage());
            retryOrGiveUp(message, e);
        }
    }

    /** Hands {@code message} to {@link #relay}'s listener; a failure is logged, the local delivery stands. */
    private void relay(OutboundMessage message) {
        try {
            sentHere.accept(message);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not pass {} message {} to the other instances: {}",
                    message.kind(),
                    message.id(),
                    e.getMessage());
        }
    }

    private void retryOrGiveUp(OutboundMessage message, Exception e) {
        int failed = failures.merge(message.id(), 1, Integer::sum);
        List<Duration> waits = retryBackoff;
        if (failed <= waits.size() && running) {
            Duration wait = waits.get(failed - 1);
            log.info(
                    "Retrying message {} to {} chat {} in {}", message.id(), message.channel(), message.chatId(), wait);
            retries.schedule(
                    () -> {
                        if (running && !expired(message)) submit(message);
                    },
                    wait.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        failures.remove(message.id());
        if (running) {
            log.warn(
                    "Gave up on message {} to {} chat {} after {} attempts",
                    message.id(),
                    message.channel(),
                    message.chatId(),
                    failed);
            outbox.markFailed(message.id(), e.getMessage());
        }
        // While stopping, the message stays pending: the next start sends it.
    }

    /**
     * Tells the channel {@code name} that its messages {@code inboundIds} expired unanswered; a failing channel is
     * logged, not rethrown.
     */
    public void expired(String name, List<String> inboundIds) {
        BaseChannel channel = channel(name);
        if (channel == null) return;
        try {
            channel.expired(inboundIds);
        } catch (RuntimeException e) {
            log.warn("Channel {} failed on {} expired messages: {}", name, inboundIds.size(), e.getMessage());
        }
    }

    /** Marks {@code message} expired, counted and logged, if it was stored longer than {@code maxReplyAge} ago. */
    private boolean expired(OutboundMessage message) {
        if (maxReplyAge.isZero() || !outbox.expire(message.id(), maxReplyAge)) return false;
        failures.remove(message.id());
        metrics.increment(message.channel(), Expiry.COUNTER);
        log.warn(
                "Reply {} to {} chat {} is older than {}: marked expired, not sent",
                message.id(),
                message.channel(),
                message.chatId(),
                Expiry.age(maxReplyAge));
        return true;
    }

    /** Stops dispatching and stops every channel; idempotent. */
    @Override
    public void close() {
        if (!running && dispatcher == null) {
            stopChannels();
            return;
        }
        running = false;
        retries.shutdownNow();
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close();
        dispatcher = null;
        stopChannels();
    }

    private void stopChannels() {
        for (BaseChannel c : channels()) {
            try {
                c.closeConnection();
                c.stop();
            } catch (RuntimeException e) {
                log.warn("Channel {} failed to stop cleanly: {}", c.name(), e.getMessage());
            }
            setState(c, ChannelStatus.State.STOPPED);
        }
        ChannelLocks shared = locks;
        if (shared != null) shared.close(); // after the connections closed: the next holder never meets this one
    }
}
