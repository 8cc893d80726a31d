package io.connectorhub.channel.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.core.internal.ChannelStatus;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs polling one bot on one PostgreSQL database: one polls, the other waits in standby, and takes over when the
 * first stops; every update is answered once.
 */
@ExtendWith(TestPostgres.class)
class TelegramClusterTest {
    @TempDir
    Path dir;

    private FakeBotApi api;
    private String storeUrl;
    private final AtomicInteger agentCalls = new AtomicInteger();
    private final Agent echo = (request, stream) -> {
        agentCalls.incrementAndGet();
        return "Echo: " + request.text();
    };
    private final List<TestHub> hubs = new ArrayList<>();

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        api = new FakeBotApi();
        storeUrl = new TestStore("postgresql", dir, database).storeUrl();
    }

    @AfterEach
    void stop() {
        for (TestHub hub : hubs) hub.close();
        api.close();
    }

    private TestHub hub(String name) throws Exception {
        // the test hub writes the store section's dataDir last; the indented line continues that section
        TestHub hub = TestHub.start(
                TestHub.config(
                        dir.resolve(name),
                        "",
                        "  url: \"" + storeUrl + "\"\n" + TelegramHubTest.yaml(api, "\"42\"", "")),
                echo);
        hubs.add(hub);
        return hub;
    }

    private static ChannelStatus.State state(TestHub hub) {
        return hub.runtime().channels().state(TelegramChannel.NAME);
    }

    private int answered(String text) {
        return (int) api.calls("sendMessage").stream()
                .filter(c -> c.text().equals("Echo: " + text))
                .count();
    }

    @Test
    void oneHubPollsTheOtherWaitsAndTakesOverWhenItStopsAnsweringEveryUpdateOnce() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        TestHub a = hub("a");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(a) == ChannelStatus.State.RUNNING);
        TestHub b = hub("b");
        assertEquals(ChannelStatus.State.STANDBY, state(b));
        assertEquals(Optional.of(a.runtime().instanceId()), b.runtime().holder(TelegramChannel.NAME));

        api.message(42, "private", 42, "alice", "one");
        await().atMost(Duration.ofSeconds(20)).until(() -> answered("one") == 1);
        assertEquals(1, api.mostPolls.get(), "the hub in standby never polls beside the holder");

        hubs.remove(a);
        a.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(b) == ChannelStatus.State.RUNNING);
        assertEquals(Optional.of(b.runtime().instanceId()), b.runtime().holder(TelegramChannel.NAME));

        api.message(42, "private", 42, "alice", "two");
        await().atMost(Duration.ofSeconds(20)).until(() -> answered("two") == 1);
        assertEquals(1, answered("one"));
        assertEquals(2, agentCalls.get());
    }
}
