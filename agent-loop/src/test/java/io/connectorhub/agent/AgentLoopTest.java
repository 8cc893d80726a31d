package io.connectorhub.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.connectorhub.agent.llm.OpenAiAgent;
import io.connectorhub.config.AgentConfig;
import io.connectorhub.core.Admission;
import io.connectorhub.core.ChatMessage;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.InboundGate;
import io.connectorhub.core.InboundMessage;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.InboxGate;
import io.connectorhub.core.internal.QueueMessageBus;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreInbox;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.internal.store.StoreSessions;
import io.connectorhub.core.testing.LogCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopTest {
    @TempDir
    Path dir;

    private Store store;
    private QueueMessageBus bus;
    private StoreInbox inbox;
    private StoreSessions sessions;
    private StoreOutbox outbox;
    private HubMetrics metrics;
    private InboundGate gate;
    private AgentLoop loop;
    private AgentLoop.Settings settings = new AgentLoop.Settings(8, 20, Duration.ofMinutes(1));

    @BeforeEach
    void setUp() {
        store = Store.open(dir.resolve("hub.db"));
        bus = new QueueMessageBus(100, 1000, Duration.ofSeconds(1));
        inbox = new StoreInbox(store, "test", Clock.systemUTC());
        sessions = new StoreSessions(store, Clock.systemUTC());
        outbox = new StoreOutbox(store, "test", Clock.systemUTC());
        metrics = new HubMetrics();
        gate = new InboxGate(inbox, bus, metrics);
    }

    @AfterEach
    void tearDown() {
        if (loop != null) loop.close();
    }

    private void start(Agent agent, Set<String> allowed) {
        loop = new AgentLoop(
                bus,
                inbox,
                sessions,
                (channel, sender) -> allowed.contains(sender),
                m -> agent,
                metrics,
                settings,
                AgentLoop.Linking.none());
        loop.start();
    }

    private static InboundMessage message(String id, String sender, String chat, String text) {
        return InboundMessage.builder("test", id)
                .sender(sender)
                .chat(chat)
                .content(text)
                .build();
    }

    /** The next complete reply on the bus, skipping typing hints and deltas. */
    private OutboundMessage nextReply() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            OutboundMessage m = bus.takeOutbound(Duration.ofMillis(100));
            if (m != null && m.kind() == OutboundMessage.Kind.MESSAGE) return m;
        }
        throw new AssertionError("no reply within 10s");
    }

    @Test
    void answersAMessageAfterTheOlderOneOfItsChatThatADeadInstanceHeldOnceThatOneIsTakenOver() throws Exception {
        StoreInbox dead = new StoreInbox(store, "dead-instance", Clock.systemUTC(), Duration.ofMinutes(10));
        InboundMessage first = message("1", "alice", "c", "first");
        assertFalse(dead.admit(first).duplicate()); // claimed by an instance that never beats again
        start(new BuiltinAgent(), Set.of("alice"));
        gate.accept(message("2", "alice", "c", "second"));
        gate.accept(message("3", "alice", "other chat", "elsewhere"));
        assertEquals("3", nextReply().inReplyTo(), "other chats go on");

        for (InboundMessage taken : inbox.takeOver(Duration.ZERO)) bus.publishInbound(taken);
        assertEquals("1", nextReply().inReplyTo());
        assertEquals("2", nextReply().inReplyTo(), "the newer message of the chat was answered after the older one");
        assertEquals(
                List.of("first", "second"),
                sessions.history("test:c", 10).stream()
                        .filter(m -> m.role().equals(ChatMessage.USER))
                        .map(ChatMessage::content)
                        .toList());
    }

    @Test
    void answersAndRecordsTheTurn() throws Exception {
        start(new BuiltinAgent(), Set.of("alice"));
        gate.accept(message("1", "alice", "c", "hello"));
        OutboundMessage reply = nextReply();
        assertEquals("1", reply.inReplyTo());
        assertEquals("c", reply.chatId());
        assertTrue(reply.content().startsWith("You said: hello"));
        List<ChatMessage> history = sessions.history("test:c", 10);
        assertEquals(
                List.of("hello", reply.content()),
                history.stream().map(ChatMessage::content).toList());
        assertEquals(reply.id(), outbox.unsent(10).get(0).id());
    }

    @Test
    void givesAnAgentNoMoreHistoryThanItUses() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        start(
                new Agent() {
                    @Override
                    public String respond(AgentRequest request, java.util.function.Consumer<String> stream) {
                        seen.add(request.history().stream()
                                .map(ChatMessage::content)
                                .toList());
                        return "reply to " + request.text();
                    }

                    @Override
                    public int historyLimit() {
                        return 3;
                    }
                },
                Set.of("alice"));
        for (int i = 1; i <= 3; i++) {
            gate.accept(message(String.valueOf(i), "alice", "c", "m" + i));
            nextReply();
        }
        assertEquals(List.of(), seen.get(0));
        assertEquals(List.of("m1", "reply to m1"), seen.get(1));
        assertEquals(List.of("reply to m1", "m2", "reply to m2"), seen.get(2), "the newest 3, oldest first");
    }

    @Test
    void neverLetsADeniedSenderReachTheAgent() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(
                (request, stream) -> {
                    calls.incrementAndGet();
                    return "should not happen";
                },
                Set.of("alice"));
        gate.accept(message("1", "mallory", "c", "secret plans"));
        gate.accept(message("2", "alice", "c", "hi"));
        assertEquals("2", nextReply().inReplyTo());
        assertEquals(1, calls.get());
        assertEquals(1, metrics.count("test", HubMetrics.DENIED));
        assertEquals(
                Admission.State.DENIED,
                inbox.admit(message("1", "mallory", "c", "secret plans")).state());
        assertEquals(
                List.of("hi", "should not happen"),
                sessions.history("test:c", 10).stream()
                        .map(ChatMessage::content)
                        .toList());
    }

    @Test
    void answersARedeliveredMessageOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start((request, stream) -> "reply " + calls.incrementAndGet(), Set.of("alice"));
        InboundMessage m = message("same-id", "alice", "c", "hello");
        gate.accept(m);
        bus.publishInbound(m); // a second copy already on the bus
        assertEquals("reply 1", nextReply().content());
        Admission again = gate.accept(m);
        assertTrue(again.duplicate());
        assertNull(bus.takeOutbound(Duration.ofMillis(300)));
        assertEquals(1, calls.get());
        assertEquals(1, metrics.count("test", HubMetrics.DUPLICATE));
    }

    @Test
    void logsARefusedProviderConnectionAsOneWarningNamingTheAgentAndUrlWithoutAStackTrace() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        AgentConfig config = new AgentConfig(
                AgentConfig.OPENAI,
                "http://user:basic-secret@127.0.0.1:" + closed + "/v1",
                "sk-test-key-0123456789",
                "test-model",
                null,
                null,
                null,
                Duration.ofSeconds(5),
                null,
                List.of(),
                2,
                false,
                null);
        Agent agent = new OpenAiAgent(
                "gpt",
                config,
                new OkHttpClient(),
                sessions,
                Clock.systemUTC(),
                Duration.ofMillis(1),
                Duration.ofSeconds(30));
        try (LogCapture logs = new LogCapture()) {
            start(agent, Set.of("alice"));
            gate.accept(message("1", "alice", "c", "hello"));
            assertEquals(AgentLoop.APOLOGY, nextReply().content());
            List<ILoggingEvent> problems = logs.atLeast(Level.WARN);
            assertEquals(1, problems.size(), problems.toString());
            ILoggingEvent line = problems.get(0);
            assertEquals(Level.WARN, line.getLevel());
            assertNull(line.getThrowableProxy(), "no stack trace");
            String text = line.getFormattedMessage();
            assertTrue(text.contains("agent gpt"), text);
            assertTrue(text.contains(" http://127.0.0.1:" + closed + "/v1/chat/completions "), text);
            assertTrue(text.contains("ConnectException"), text);
            assertFalse(text.contains("basic-secret") || text.contains("sk-test-key"), text);
            assertFalse(text.contains("\n"), text);
        }
    }

    @Test
    void apologisesWhenTheAgentFailsAndGoesOn() throws Exception {
        start(
                (request, stream) -> {
                    if (request.text().equals("break")) throw new IllegalStateException("model exploded");
                    return "fine";
                },
                Set.of("alice"));
        OutboundMessage apology;
        try (LogCapture logs = new LogCapture()) {
            gate.accept(message("1", "alice", "c", "break"));
            apology = nextReply();
            // A bug in an agent keeps its stack trace.
            List<ILoggingEvent> errors = logs.atLeast(Level.WARN);
            assertEquals(1, errors.size(), errors.toString());
            assertEquals(Level.ERROR, errors.get(0).getLevel());
            assertEquals("model exploded", errors.get(0).getThrowableProxy().getMessage());
        }
        assertEquals(AgentLoop.APOLOGY, apology.content());
        assertTrue(apology.agentFailed(), "the apology is marked as one");
        assertTrue(!apology.content().contains("exploded"));
        gate.accept(message("2", "alice", "c", "again"));
        OutboundMessage fine = nextReply();
        assertEquals("fine", fine.content());
        assertFalse(fine.agentFailed());
        assertEquals(1, metrics.count("test", HubMetrics.AGENT_ERRORS));
        assertEquals(
                List.of("again", "fine"),
                sessions.history("test:c", 10).stream()
                        .map(ChatMessage::content)
                        .toList());
    }

    @Test
    void keepsOneSessionInOrderWhileOthersRunConcurrently() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        start(
                (request, stream) -> {
                    if (request.text().equals("slow")) release.await(10, TimeUnit.SECONDS);
                    synchronized (order) {
                        order.add(request.sessionKey() + "/" + request.text());
                    }
                    return "ok " + request.text();
                },
                Set.of("alice"));
        gate.accept(message("1", "alice", "a", "slow"));
        gate.accept(message("2", "alice", "a", "after-slow"));
        gate.accept(message("3", "alice", "b", "independent"));
        assertEquals("ok independent", nextReply().content(), "session b waited for session a");
        release.countDown();
        assertEquals("ok slow", nextReply().content());
        assertEquals("ok after-slow", nextReply().content());
        assertEquals(List.of("test:b/independent", "test:a/slow", "test:a/after-slow"), order);
    }

    @Test
    void forgetsTheConversationOnReset() throws Exception {
        start(new BuiltinAgent(), Set.of("alice"));
        gate.accept(message("1", "alice", "c", "remember me"));
        nextReply();
        gate.accept(message("2", "alice", "c", "/reset"));
        assertEquals(AgentLoop.RESET_DONE, nextReply().content());
        assertTrue(sessions.history("test:c", 10).isEmpty());
        gate.accept(message("3", "alice", "c", "hello again"));
        assertTrue(nextReply().content().contains("(message 1 in this conversation)"));
    }

    @Test
    void streamsDeltasBeforeTheReply() throws Exception {
        start(
                (request, stream) -> {
                    stream.accept("par");
                    stream.accept("tial");
                    return "partial";
                },
                Set.of("alice"));
        gate.accept(message("1", "alice", "c", "go"));
        List<OutboundMessage> parts = new ArrayList<>();
        OutboundMessage m;
        do {
            m = bus.takeOutbound(Duration.ofSeconds(10));
            assertNotNull(m);
            parts.add(m);
        } while (m.kind() != OutboundMessage.Kind.MESSAGE);
        assertEquals(
                List.of(
                        OutboundMessage.Kind.TYPING,
                        OutboundMessage.Kind.DELTA,
                        OutboundMessage.Kind.DELTA,
                        OutboundMessage.Kind.MESSAGE),
                parts.stream().map(OutboundMessage::kind).toList());
        assertEquals(1, parts.stream().map(OutboundMessage::id).distinct().count(), "all parts carry the reply id");
    }

    @Test
    void coalescesStreamedPiecesWithinTheDeltaInterval() throws Exception {
        settings = new AgentLoop.Settings(4, 50, Duration.ofMinutes(1), Duration.ofHours(1));
        start(
                (request, stream) -> {
                    for (String piece : "one two three four five".split("(?= )")) stream.accept(piece);
                    return "one two three four five";
                },
                Set.of("alice"));
        gate.accept(message("1", "alice", "c", "go"));
        List<String> deltas = new ArrayList<>();
        OutboundMessage m;
        while ((m = bus.takeOutbound(Duration.ofSeconds(10))).kind() != OutboundMessage.Kind.MESSAGE) {
            if (m.kind() == OutboundMessage.Kind.DELTA) deltas.add(m.content());
        }
        // The first piece at once; the rest, streamed within one interval, in one part before the reply.
        assertEquals(List.of("one", " two three four five"), deltas);
    }

    @Test
    void anAgentCutOffByTheStopLeavesTheMessageForTheNextStartWithoutAnApology() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch cutOff = new CountDownLatch(1);
        start(
                (request, stream) -> {
                    entered.countDown();
                    cutOff.await(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("the hub is stopping");
                },
                Set.of("alice"));
        gate.accept(message("1", "alice", "c", "a long question"));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Thread closer = Thread.ofVirtual().start(loop::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> !loop.running());
        cutOff.countDown();
        closer.join(Duration.ofSeconds(10));

        assertTrue(outbox.unsent(10).isEmpty(), "no apology queued");
        assertTrue(sessions.history("test:c", 10).isEmpty());
        assertEquals(1, inbox.releaseOwnLeases(), "still claimed by this instance, so the next start takes it back");
        assertEquals(
                List.of("1"),
                inbox.unfinished(10).stream().map(InboundMessage::id).toList());
    }
}
