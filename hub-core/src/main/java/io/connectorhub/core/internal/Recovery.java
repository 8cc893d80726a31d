package io.connectorhub.core.internal;

import io.connectorhub.core.BusFullException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Instances;
import io.connectorhub.core.internal.store.StoreInbox;
import io.connectorhub.core.internal.store.StoreOutbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runtime does for the messages and replies that are stored but not done: taking them back at a start,
 * expiring what waited too long, the heartbeat and the take-over of dead instances' work, acting on other instances'
 * wake-ups, the inbox sweep, and giving work back at a clean stop. Thread-safe.
 */
final class Recovery {
    // under the runtime's name: these lines belong to its start, heartbeat and stop sequence
    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);
    private static final int BATCH = 500;

    private final HubRuntime.Settings settings;
    private final String instanceId;
    private final Instant startedAt;
    private final StoreInbox inbox;
    private final StoreOutbox outbox;
    private final Instances instances;
    private final MessageBus bus;
    private final ChannelManager channels;
    private final HubMetrics metrics;
    private final ExecutorService sends = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("outbox-recovery").factory());
    private volatile boolean closed;

    Recovery(
            HubRuntime.Settings settings,
            String instanceId,
            Instant startedAt,
            StoreInbox inbox,
            StoreOutbox outbox,
            Instances instances,
            MessageBus bus,
            ChannelManager channels,
            HubMetrics metrics) {
        this.settings = settings;
        this.instanceId = instanceId;
        this.startedAt = startedAt;
        this.inbox = inbox;
        this.outbox = outbox;
        this.instances = instances;
        this.bus = bus;
        this.channels = channels;
        this.metrics = metrics;
    }

    /**
     * At a start, before the services: takes back the leases this instance held when it stopped, prunes what is older
     * than {@code retention}, and marks expired what waited too long.
     */
    void beforeServices() {
        int released = inbox.releaseOwnLeases();
        if (released > 0) log.info("Taking back {} messages this instance was processing when it stopped", released);
        inbox.prune(settings.retention());
        outbox.prune(settings.retention());
        expireMessages("Recovery");
        expire("Recovery", settings.maxReplyAge(), outbox::expire, "reply", "replies", "not sent");
    }

    /** Queues the messages that arrived before the last stop but were not answered, on a thread of their own. */
    void recoverInbox() {
        List<InboundMessage> left = inbox.unfinished(Integer.MAX_VALUE);
        if (left.isEmpty()) return;
        log.info("Processing {} messages that arrived before the last stop but were not answered", left.size());
        Thread.ofVirtual()
                .name("inbox-recovery")
                .start(() -> left.forEach(m -> publishPatiently(() -> bus.publishInbound(m))));
    }

    /**
     * Publishes the replies this instance stored but had not sent when it last stopped, and those it takes over: given
     * back by a clean stop, or held by instances that stopped beating.
     */
    void recoverOutbox() {
        List<OutboundMessage> unsent = new ArrayList<>(outbox.held());
        unsent.addAll(outbox.takeOver(settings.deadAfter(), channels.cannotSendHere()));
        if (unsent.isEmpty()) return;
        log.info("Sending {} replies that were stored but not sent before the last stop", unsent.size());
        sendPatiently(unsent);
    }

    /**
     * Records that this instance is alive (with its queues), forgets the instances that stopped beating for
     * {@code deadAfter}, takes back the messages they held and queues them here, oldest first. What the bus has no
     * room for stays pending for the sweep.
     */
    void beat() {
        instances.beat(instanceId, startedAt, new Instances.Queues(bus.inboundDepth(), bus.outboundDepth()));
        for (String dead : instances.forgetDead(settings.deadAfter()))
            log.warn(
                    "Instance {} stopped beating {} ago or more; taking over its messages",
                    dead,
                    Expiry.age(settings.deadAfter()));
        List<InboundMessage> taken = inbox.takeOver(settings.deadAfter());
        if (taken.isEmpty()) return;
        log.info("Took over {} messages held by instances that stopped beating; queued here", taken.size());
        for (InboundMessage m : taken) {
            try {
                bus.publishInbound(m);
            } catch (BusFullException e) {
                return;
            }
        }
    }

    /**
     * Takes the unsent replies nobody alive holds (see {@link StoreOutbox#takeOver}) on the channels that can send
     * here, and sends them; with each heartbeat after the start, whose {@link #recoverOutbox} takes them the first
     * time, and when this instance opens a single connection another instance may have left replies for.
     */
    void takeOverReplies() {
        List<OutboundMessage> replies = outbox.takeOver(settings.deadAfter(), channels.cannotSendHere());
        if (!replies.isEmpty()) {
            log.info(
                    "Took over {} unsent replies that other instances left (they stopped, stopped beating or cannot"
                            + " send them); sending them here",
                    replies.size());
            sendPatiently(replies);
        }
    }

    /**
     * Acts on a wake-up from another instance ({@code <instance> <channel> <message id>}, see {@link StoreInbox}):
     * queues the message here if it is still pending. This instance's own wake-ups are ignored.
     */
    void wakeInbox(String payload) {
        String[] parts = payload.split(" ", 3);
        if (parts.length < 3 || parts[0].equals(instanceId)) return;
        inbox.pending(parts[1], parts[2]).ifPresent(bus::publishInbound);
    }

    /**
     * Acts on a wake-up from another instance ({@code <instance> <reply id>}, see {@link StoreOutbox#release} and
     * {@link StoreOutbox#giveBack}): takes the reply and sends it here, unless another instance took it first or its
     * channel cannot send here.
     */
    void wakeOutbox(String payload) {
        String[] parts = payload.split(" ", 2);
        if (parts.length < 2 || parts[0].equals(instanceId)) return;
        outbox.take(parts[1], channels.cannotSendHere()).ifPresent(reply -> sendPatiently(List.of(reply)));
    }

    /** See {@link HubRuntime#sweepInbox}. */
    int sweepInbox(Duration minAge) {
        expireMessages("Inbox sweep");
        if (bus.inboundDepth() > 0) return 0;
        int published = 0;
        for (InboundMessage m : inbox.unfinished(minAge, BATCH)) {
            try {
                bus.publishInbound(m);
                published++;
            } catch (BusFullException e) {
                break;
            }
        }
        if (published > 0) log.info("Inbox sweep: {} stored messages were not answered yet; queued again", published);
        return published;
    }

    /** At the start of a stop: what still waits for room on the bus gives up (it stays stored). */
    void stopWaiting() {
        closed = true;
        sends.shutdown();
    }

    /**
     * At a clean stop, after the channels: leaves the queued messages pending and gives back the unsent replies for
     * another instance or the next start, and removes this instance's heartbeat so the others take over at once what
     * it still holds. Returns false if a step failed (logged).
     */
    boolean handBack() {
        boolean clean = true;
        try {
            int released = inbox.releaseUnclaimed();
            if (released > 0)
                log.info("Stopping: {} queued messages left pending for another instance or the next start", released);
        } catch (RuntimeException e) {
            clean = false;
            log.warn("Stopping: could not mark the queued messages pending: {}", e.getMessage());
        }
        try {
            int released = outbox.release();
            if (released > 0)
                log.info("Stopping: {} unsent replies left for another instance or the next start", released);
        } catch (RuntimeException e) {
            clean = false;
            log.warn("Stopping: could not give back the unsent replies: {}", e.getMessage());
        }
        try {
            instances.remove(instanceId);
        } catch (RuntimeException e) {
            clean = false;
            log.warn("Stopping: could not remove this instance's heartbeat: {}", e.getMessage());
        }
        return clean;
    }

    /**
     * Marks expired the unanswered messages older than {@code recovery.maxMessageAge}; counts and logs them, and tells
     * their channels (a client may be waiting for an answer).
     */
    private void expireMessages(String when) {
        expire(when, settings.maxMessageAge(), inbox::expire, "message", "messages", "not answered")
                .forEach(channels::expired);
    }

    /**
     * Marks expired what {@code mark} finds older than {@code limit} (zero: no limit), and counts and logs it in one
     * line, e.g. {@code Recovery: 12 telegram messages older than 1h marked expired, not answered}. Returns the ids
     * per channel.
     */
    private Map<String, List<String>> expire(
            String when,
            Duration limit,
            Function<Duration, Map<String, List<String>>> mark,
            String one,
            String many,
            String outcome) {
        if (limit.isZero()) return Map.of();
        Map<String, List<String>> expired = mark.apply(limit);
        if (expired.isEmpty()) return expired;
        Expiry.count(metrics, expired);
        log.warn(
                "{}: {} older than {} marked expired, {}",
                when,
                Expiry.describe(expired, one, many),
                Expiry.age(limit),
                outcome);
        return expired;
    }

    /**
     * Queues {@code replies}, which this instance holds in the outbox now, for sending, in order, after those queued
     * before (so the replies of one chat keep their order), waiting for room on the bus on a thread of their own (a
     * held reply is sent by nobody else). Once stopping, nothing more is queued: what this instance holds is given
     * back by {@link #handBack}.
     */
    private void sendPatiently(List<OutboundMessage> replies) {
        try {
            sends.execute(() -> replies.forEach(m -> publishPatiently(() -> bus.publishOutbound(m))));
        } catch (RejectedExecutionException e) {
            log.debug("Stopping: {} replies left for the hand-back", replies.size());
        }
    }

    private void publishPatiently(Runnable publish) {
        while (!closed) {
            try {
                publish.run();
                return;
            } catch (BusFullException e) {
                log.debug("Recovery waits for room on the bus");
            }
        }
    }
}
