package io.connectorhub.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.core.AllowList;
import io.connectorhub.core.BaseChannel;
import io.connectorhub.core.OutboundMessage;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels whose connection the platform allows once per bot, on two runtimes sharing one PostgreSQL database: one
 * holds the lock and receives, the other waits in standby and takes over when the holder stops or loses its
 * database connection.
 */
@ExtendWith(TestPostgres.class)
class SingleConnectionTest {
    @TempDir
    Path dir;

    private TestStore store;
    private TestDatabase database;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database(TestDatabase database) {
        this.database = database;
        this.store = new TestStore("postgresql", dir, database);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    /** A channel that counts the times its single connection is open; a second open one would be a second poller. */
    static final class Exclusive extends BaseChannel {
        static final AtomicInteger openNow = new AtomicInteger();
        volatile boolean connected;
        final AtomicInteger closes = new AtomicInteger();

        Exclusive() {
            super("exclusive", AllowList.anyone());
        }

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public void send(OutboundMessage message) {}

        @Override
        public boolean singleConnection() {
            return true;
        }

        @Override
        public synchronized void openConnection() {
            if (connected) return;
            connected = true;
            if (openNow.incrementAndGet() > 1) throw new AssertionError("two instances opened the connection");
        }

        @Override
        public synchronized void closeConnection() {
            if (!connected) return;
            connected = false;
            closes.incrementAndGet();
            openNow.decrementAndGet();
        }
    }

    private record Hub(HubRuntime runtime, Exclusive channel) {
        ChannelStatus.State state() {
            return runtime.channels().state("exclusive");
        }
    }

    private Hub start(String name) throws Exception {
        HubRuntime.Settings base = HubRuntimeTest.settings(dir.resolve(name), 0);
        HubRuntime.Settings settings = new HubRuntime.Settings(
                base.host(),
                base.port(),
                base.maxRequestBytes(),
                base.dataDir(),
                store.storeUrl(),
                2,
                base.inboundCapacity(),
                base.outboundCapacity(),
                base.publishTimeout(),
                base.sendConcurrency(),
                base.retention(),
                base.lease(),
                base.maxMessageAge(),
                base.maxReplyAge(),
                base.authFailuresPerMinute(),
                base.trustedProxies(),
                base.heartbeat(),
                base.deadAfter());
        HubRuntime runtime = HubRuntime.open(settings, Clock.systemUTC());
        open.add(runtime);
        Exclusive channel = new Exclusive();
        runtime.addChannel(channel);
        runtime.start();
        return new Hub(runtime, channel);
    }

    /** Starts a, which takes the channel, then b. */
    private List<Hub> holderThenStandby() throws Exception {
        Exclusive.openNow.set(0);
        Hub a = start("a");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.state() == ChannelStatus.State.RUNNING);
        return List.of(a, start("b"));
    }

    @Test
    void oneInstanceHoldsTheChannelAndAnotherTakesOverAtOnceWhenItStops() throws Exception {
        List<Hub> hubs = holderThenStandby();
        Hub a = hubs.get(0);
        Hub b = hubs.get(1);
        assertEquals(ChannelStatus.State.STANDBY, b.state());
        assertEquals(Optional.of(a.runtime().instanceId()), b.runtime().holder("exclusive"));
        assertEquals(Optional.of(a.runtime().instanceId()), a.runtime().holder("exclusive"));
        assertEquals("standby", ((Map<?, ?>) b.runtime().health().get("channels")).get("exclusive"));

        long stopped = System.nanoTime();
        a.runtime().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.state() == ChannelStatus.State.RUNNING);
        long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
        // the clean stop announces the release, so the standby instance does not wait for its next try (2 s)
        assertTrue(tookMillis < 1_900, "taken over in " + tookMillis + " ms");
        assertEquals(Optional.of(b.runtime().instanceId()), b.runtime().holder("exclusive"));
        assertEquals(1, Exclusive.openNow.get());
    }

    @Test
    void anInstanceThatLosesItsLockConnectionStopsReceivingUntilItHoldsTheLockAgain() throws Exception {
        List<Hub> hubs = holderThenStandby();
        Hub a = hubs.get(0);
        Hub b = hubs.get(1);

        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                    + "'connector-hub " + a.runtime().instanceId() + "'");
        }

        // a closed its connection (the lock may be gone) and then one of the two holds the channel again, alone
        await().atMost(Duration.ofSeconds(15)).until(() -> a.channel().closes.get() == 1);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> a.state() == ChannelStatus.State.RUNNING || b.state() == ChannelStatus.State.RUNNING);
        Hub holder = a.state() == ChannelStatus.State.RUNNING ? a : b;
        Hub other = holder == a ? b : a;
        assertEquals(ChannelStatus.State.STANDBY, other.state());
        assertEquals(Optional.of(holder.runtime().instanceId()), other.runtime().holder("exclusive"));
        assertEquals(1, Exclusive.openNow.get());
    }
}
