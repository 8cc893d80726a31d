package io.connectorhub.agent;

import io.connectorhub.core.Admission;
import io.connectorhub.core.BusFullException;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.Inbox;
import io.connectorhub.core.LinkedSenders;
import io.connectorhub.core.MessageBus;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.Service;
import io.connectorhub.core.SessionStore;
import io.connectorhub.core.internal.Failures;
import io.connectorhub.core.internal.SerialLanes;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes inbound messages off the bus and answers them. For each message: claim it in the inbox (so a redelivered
 * or recovered copy is answered once), answer {@code /link CODE} (from anyone; see {@link Linking}), check the
 * channel's allow-list or whether the sender is linked to a user (denied senders never reach an agent), ask
 * the session's agent with the recent history, then record the turn and queue the reply in one transaction, and
 * publish the reply. Messages of one session are handled in order; sessions run concurrently on virtual threads,
 * at most {@code concurrency} at once. A failing agent costs the user a generic apology, never the loop.
 */
public final class AgentLoop implements Service {
    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);
    static final String APOLOGY = "Sorry, something went wrong while answering. Please try again.";
    static final String RESET_DONE = "Done: I have forgotten this conversation.";

    /**
     * @param lease how long one message may take before another worker may take it over
     * @param deltaInterval streamed text is passed on at most this often per reply (the first piece at once), so
     *     an LLM's token-sized pieces become a few bus messages, WebSocket frames and platform edits
     */
    public record Settings(int concurrency, int maxHistory, Duration lease, Duration deltaInterval) {
        public static final Duration DEFAULT_DELTA_INTERVAL = Duration.ofMillis(50);

        public Settings(int concurrency, int maxHistory, Duration lease) {
            this(concurrency, maxHistory, lease, DEFAULT_DELTA_INTERVAL);
        }
    }

    /**
     * Chat accounts linked to users.
     *
     * @param senders who is linked, and takes {@code /link CODE}
     * @param admits the channels whose linked senders may chat though not on {@code allowFrom}
     *     ({@code channels.<name>.allowLinked})
     * @param share whether a linked user's direct conversations and WebSocket {@code main} session are one,
     *     {@code user:<user id>} ({@code sessions.shareLinked})
     */
    public record Linking(LinkedSenders senders, Predicate<String> admits, boolean share) {
        public static Linking none() {
            return new Linking(LinkedSenders.none(), channel -> false, false);
        }
    }

    static final String LINK = "/link";
    /** The session of a user's WebSocket connections, in the namespace of their own sessions. */
    private static final String WEBSOCKET_USER = "websocket:@";

    private static final String WEBSOCKET_MAIN = "/main";

    private final MessageBus bus;
    private final Inbox inbox;
    private final SessionStore sessions;
    private final BiPredicate<String, String> allowed;
    private final Function<InboundMessage, Agent> agents;
    private final HubMetrics metrics;
    private final Settings settings;
    private final Linking linking;
    private final SerialLanes lanes;
    /** The messages queued in the lanes and not yet handled ({@code channel/id}), which {@link #handOn} skips. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    private volatile boolean running;
    private Thread taker;

    /**
     * @param allowed (channel, sender id) → may this sender reach an agent
     * @param agents chooses the agent for a message
     * @param linking the chat accounts linked to users, who may chat too, and {@code /link}; {@link Linking#none()}
     *     without accounts
     */
    public AgentLoop(
            MessageBus bus,
            Inbox inbox,
            SessionStore sessions,
            BiPredicate<String, String> allowed,
            Function<InboundMessage, Agent> agents,
            HubMetrics metrics,
            Settings settings,
            Linking linking) {
        this.linking = linking;
        this.bus = bus;
        this.inbox = inbox;
        this.sessions = sessions;
        this.allowed = allowed;
        this.agents = agents;
        this.metrics = metrics;
        this.settings = settings;
        this.lanes =
                new SerialLanes("agent", settings.concurrency(), (session, t) -> log.error("Session lane failed", t));
    }

    @Override
    public void start() {
        running = true;
        taker = Thread.ofPlatform().name("agent-loop").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try {
                InboundMessage message = bus.takeInbound(Duration.ofMillis(200));
                if (message != null) queue(message);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Agent loop could not dispatch a message", e);
            }
        }
    }

    private void queue(InboundMessage message) {
        String key = message.channel() + "/" + message.id();
        queued.add(key);
        lanes.submit(message.sessionKey(), () -> {
            queued.remove(key);
            handle(message);
        });
    }

    void handle(InboundMessage received) {
        if (!inbox.claim(received, settings.lease())) {
            log.debug(
                    "{} message {} is answered, being answered, or waits for an older message of its session",
                    received.channel(),
                    received.id());
            return;
        }
        if (answer(received)) handOn(received.sessionKey());
    }

    /**
     * Queues in this session's lane the oldest unfinished message of the session if nobody holds it: one whose claim
     * was refused because the message just finished came first (it reached another instance, or this one while that
     * was taken over from a dead instance).
     */
    private void handOn(String sessionKey) {
        if (!running) return;
        try {
            inbox.nextPending(sessionKey)
                    .filter(next -> !queued.contains(next.channel() + "/" + next.id()))
                    .ifPresent(this::queue);
        } catch (RuntimeException e) {
            // it stays pending: the inbox sweep queues it
            log.warn("Could not look for the next message of session {}: {}", sessionKey, e.getMessage());
        }
    }

    /** Answers a claimed message; false if the hub stopped meanwhile and left it unfinished. */
    private boolean answer(InboundMessage received) {
        if (isCommand(received.content(), LINK)) {
            link(received);
            return true;
        }
        boolean admits = linking.admits().test(received.channel());
        String user = admits ? linking.senders().userOf(received.channel(), received.senderId()) : null;
        InboundMessage in = shared(received, user);
        if (user == null && !allowed.test(in.channel(), in.senderId())) {
            inbox.finish(in, Admission.State.DENIED);
            metrics.increment(in.channel(), HubMetrics.DENIED);
            log.info(
                    "Denied {} message {} from sender {}: not on channels.{}.allowFrom",
                    in.channel(),
                    in.id(),
                    in.senderId(),
                    in.channel());
            return true;
        }
        // the user's sessions list a linked sender's direct conversation by the key recorded here
        if (received.direct() && (user != null || !admits))
            linking.senders().direct(received.channel(), received.senderId(), received.sessionKey());
        OutboundMessage reply = OutboundMessage.replyTo(in, UUID.randomUUID().toString(), "");
        publishHint(reply.withKind(OutboundMessage.Kind.TYPING, ""));
        String text;
        boolean keep = true;
        boolean failed = false;
        if (isCommand(in.content(), "/reset")) {
            sessions.clear(in.sessionKey());
            text = RESET_DONE;
            keep = false;
        } else {
            try {
                Agent agent = agents.apply(in);
                int limit = Math.min(settings.maxHistory(), agent.historyLimit());
                AgentRequest request = new AgentRequest(in, sessions.history(in.sessionKey(), limit));
                Deltas deltas = new Deltas(reply);
                text = agent.respond(request, deltas::add);
                deltas.flush();
                if (text == null || text.isBlank()) throw new HubException("the agent returned an empty reply");
            } catch (Exception e) {
                if (!running) {
                    // The hub is stopping and the agent was cut off (a remote task cancelled, a call interrupted):
                    // no apology, the message stays claimed by this instance and the next start answers it.
                    log.info("Stopping: {} message {} is left for the next start", in.channel(), in.id());
                    return false;
                }
                metrics.increment(in.channel(), HubMetrics.AGENT_ERRORS);
                if (Failures.expected(e)) {
                    // A provider that is down or refuses: one line naming the agent, its URL and the cause.
                    log.warn(
                            "Agent failed on {} message {} in session {}: {}",
                            in.channel(),
                            in.id(),
                            in.sessionKey(),
                            Failures.describe(e));
                } else {
                    log.error("Agent failed on {} message {} in session {}", in.channel(), in.id(), in.sessionKey(), e);
                }
                text = APOLOGY;
                keep = false;
                failed = true;
            }
        }
        OutboundMessage complete = reply.withKind(OutboundMessage.Kind.MESSAGE, text);
        if (failed) complete = complete.asAgentFailure();
        sessions.completeTurn(in, complete, keep);
        publishReply(complete);
        return true;
    }

    /**
     * Answers {@code /link CODE} from any sender, allowed or not: the code is redeemed and the answer sent back; it
     * never reaches an agent, nor the history.
     */
    private void link(InboundMessage in) {
        String code = in.content().strip().substring(LINK.length()).strip();
        String text = linking.senders().link(in.channel(), in.senderId(), code);
        OutboundMessage reply = OutboundMessage.replyTo(in, UUID.randomUUID().toString(), text);
        sessions.completeTurn(in, reply, false);
        publishReply(reply);
    }

    /**
     * {@code in} in the conversation {@code user:<user id>} when {@code sessions.shareLinked} is on and it is a direct
     * message of a linked sender ({@link InboundMessage#direct()}: Telegram's and Feishu's private chats, Discord's DMs) or a message of
     * the user in their WebSocket session {@code main}; else {@code in} as it is. Replies still go to {@code in}'s chat.
     */
    private InboundMessage shared(InboundMessage in, String user) {
        if (!linking.share()) return in;
        String key = in.sessionKey();
        if (user == null && key.startsWith(WEBSOCKET_USER) && key.endsWith(WEBSOCKET_MAIN)) {
            String id = key.substring(WEBSOCKET_USER.length(), key.length() - WEBSOCKET_MAIN.length());
            return id.isEmpty() || id.contains("/") ? in : withSession(in, LinkedSenders.sharedSession(id));
        }
        return user != null && in.direct() ? withSession(in, LinkedSenders.sharedSession(user)) : in;
    }

    private static InboundMessage withSession(InboundMessage in, String key) {
        return new InboundMessage(
                in.id(),
                in.channel(),
                in.senderId(),
                in.chatId(),
                in.content(),
                in.timestamp(),
                in.media(),
                in.replyTo(),
                in.metadata(),
                key,
                in.agent());
    }

    /** Coalesces a reply's streamed pieces: the first goes out at once, later ones at most every deltaInterval. */
    private final class Deltas {
        private final OutboundMessage reply;
        private final StringBuilder pending = new StringBuilder();
        private long lastSent;
        private boolean sentAny;

        Deltas(OutboundMessage reply) {
            this.reply = reply;
        }

        void add(String piece) {
            if (piece == null || piece.isEmpty()) return;
            pending.append(piece);
            long now = System.nanoTime();
            if (!sentAny || now - lastSent >= settings.deltaInterval().toNanos()) flush();
        }

        void flush() {
            if (pending.isEmpty()) return;
            publishHint(reply.withKind(OutboundMessage.Kind.DELTA, pending.toString()));
            pending.setLength(0);
            lastSent = System.nanoTime();
            sentAny = true;
        }
    }

    /** Typing hints and stream deltas are best effort: on a full bus they are skipped, the final reply is not. */
    private void publishHint(OutboundMessage hint) {
        try {
            bus.publishOutbound(hint);
        } catch (BusFullException e) {
            log.debug("Skipped a {} hint for {}: outbound queue full", hint.kind(), hint.channel());
        }
    }

    private void publishReply(OutboundMessage reply) {
        while (true) {
            try {
                bus.publishOutbound(reply);
                return;
            } catch (BusFullException e) {
                // The reply is safe in the outbox; keep this session's lane waiting rather than lose ordering.
                log.warn("Outbound queue full; reply {} for {} waits", reply.id(), reply.channel());
                if (!running) return;
            }
        }
    }

    boolean running() {
        return running;
    }

    static boolean isCommand(String content, String command) {
        String t = content.strip();
        return t.equals(command) || t.startsWith(command + " ");
    }

    /** Stops taking messages and waits (bounded) for the ones in progress; unfinished ones stay in the inbox. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        try {
            taker.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close(); // waits for the messages being answered; warns about those that stay in the inbox
        if (lanes.idle()) log.info("Stopping: agent loop drained");
    }
}
