package io.connectorhub.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.AllowList;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.HubException;
import io.connectorhub.core.HubMetrics;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.internal.store.Store;
import io.connectorhub.core.internal.store.StoreOutbox;
import io.connectorhub.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies that fail to send are tried again, in the outbox meanwhile, and recorded as failed only at the end. */
class ChannelManagerTest {
    @TempDir
    Path dir;

    private Store store;
    private StoreOutbox outbox;
    private QueueMessageBus bus;
    private ChannelManager manager;

    /** A channel whose platform refuses the first {@code failures} sends. */
    static class FlakyChannel extends BaseChannel {
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> delivered = new CopyOnWriteArrayList<>();
        private final int failures;

        FlakyChannel(int failures) {
            super("flaky", AllowList.anyone());
            this.failures = failures;
        }

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public void send(OutboundMessage message) throws Exception {
            if (attempts.incrementAndGet() <= failures) throw new java.io.IOException("platform unavailable");
            delivered.add(message.content());
        }
    }

    @BeforeEach
    void setUp() {
        store = Store.open(dir.resolve("hub.db"));
        outbox = new StoreOutbox(store, "test", Clock.systemUTC());
        bus = new QueueMessageBus(10, 10, Duration.ofSeconds(1));
        manager = new ChannelManager(bus, outbox, new HubMetrics(), new HubEvents(), settings(Duration.ZERO));
    }

    @AfterEach
    void tearDown() {
        manager.close();
        store.close();
    }

    private OutboundMessage queued(String text) {
        OutboundMessage m = OutboundMessage.to("flaky", "chat-1", text);
        outbox.enqueue(m);
        bus.publishOutbound(m);
        return m;
    }

    @Test
    void aReplyThatFailsTwiceIsSentOnTheThirdAttempt() throws Exception {
        FlakyChannel channel = new FlakyChannel(2);
        manager.register(channel);
        manager.startAll(Duration.ofSeconds(5));
        queued("hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.unsent(10).isEmpty());
        assertEquals(List.of("hello"), channel.delivered);
        assertEquals(3, channel.attempts.get());
    }

    @Test
    void aReplyIsRecordedFailedOnceTheRetriesRunOut() throws Exception {
        FlakyChannel channel = new FlakyChannel(Integer.MAX_VALUE);
        manager.register(channel);
        manager.startAll(Duration.ofSeconds(5));
        queued("never");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.unsent(10).isEmpty());
        assertEquals(4, channel.attempts.get(), "the first attempt and three retries");
        assertTrue(channel.delivered.isEmpty());
    }

    @Test
    void aFailedReplyStoredLongerAgoThanMaxReplyAgeIsMarkedExpiredInsteadOfTriedAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        HubMetrics metrics = new HubMetrics();
        outbox = new StoreOutbox(store, "test", clock);
        manager.close();
        manager = new ChannelManager(bus, outbox, metrics, new HubEvents(), settings(Duration.ofHours(1)));
        FlakyChannel channel = new FlakyChannel(1);
        manager.register(channel);
        manager.startAll(Duration.ofSeconds(5));
        OutboundMessage stale = OutboundMessage.to("flaky", "chat-1", "an hour late");
        outbox.enqueue(stale);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        bus.publishOutbound(stale);

        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.unsent(10).isEmpty());
        assertEquals(1, metrics.count("flaky", "expired"));
        assertEquals(1, channel.attempts.get(), "not tried again");
        assertTrue(channel.delivered.isEmpty());
    }

    /** A channel whose start fails with {@code failure}. */
    static final class BrokenChannel extends BaseChannel {
        private final Exception failure;

        BrokenChannel(String name, Exception failure) {
            super(name, AllowList.anyone());
            this.failure = failure;
        }

        @Override
        public void start() throws Exception {
            throw failure;
        }

        @Override
        public void stop() {}

        @Override
        public void send(OutboundMessage message) {}
    }

    @Test
    void aPlatformUnreachableAtStartIsOneLineWhileABugKeepsItsStackTrace() throws Exception {
        manager.register(new BrokenChannel(
                "offline",
                new HubException("could not reach the platform", new java.net.ConnectException("Connection refused"))));
        manager.register(new BrokenChannel("buggy", new IllegalStateException("a bug")));
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            manager.startAll(Duration.ofSeconds(5));
        } finally {
            root.detachAppender(logs);
        }
        var offline = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("Channel offline failed to start"))
                .toList();
        assertEquals(1, offline.size());
        assertEquals(
                "Channel offline failed to start: could not reach the platform (ConnectException: Connection refused)",
                offline.get(0).getFormattedMessage());
        assertNull(offline.get(0).getThrowableProxy());
        var buggy = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("Channel buggy failed to start"))
                .toList();
        assertEquals(1, buggy.size());
        assertEquals("a bug", buggy.get(0).getThrowableProxy().getMessage());
    }

    /** Four chats at once, and retries 10 ms apart so a test sees them all. */
    private static ChannelManager.Settings settings(Duration maxReplyAge) {
        return new ChannelManager.Settings(
                4, maxReplyAge, List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)));
    }
}
