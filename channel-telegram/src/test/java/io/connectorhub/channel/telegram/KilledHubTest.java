package io.connectorhub.channel.telegram;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorhub.agent.Agent;
import io.connectorhub.agent.testing.TestHub;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ChatMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub process killed with SIGKILL while it polls Telegram loses no update and runs the agent once per update; only
 * a reply that reached Telegram just before the kill may be sent again.
 */
class KilledHubTest {
    private static final Agent ECHO = (request, stream) -> "Echo: " + request.text();

    @TempDir
    Path dir;

    private FakeBotApi api;
    private HubConfig config;

    /** The hub run in the child process: the Telegram channel and the echo agent on the given hub.yaml. */
    public static void main(String[] args) throws Exception {
        TestHub.start(new ConfigLoader(Map.of()).load(Path.of(args[0])), ECHO);
        Thread.sleep(Long.MAX_VALUE);
    }

    @BeforeEach
    void setUp() throws Exception {
        api = new FakeBotApi();
        config = TestHub.config(dir, TelegramHubTest.yaml(api, "\"*\"", ""));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void anUpdateFetchedButNotStoredWhenTheProcessDiesIsAnsweredOnceByTheNextHub() throws Exception {
        int update = api.message(42, "private", 42, "bob", "after the crash");
        api.holdUpdates();
        Process child = startChild();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !api.calls("getUpdates").isEmpty());
        } finally {
            child.destroyForcibly(); // SIGKILL, with the getUpdates answer on its way
            child.waitFor();
        }
        api.release();
        assertFalse(api.confirmed(update));

        try (TestHub hub = TestHub.start(config, ECHO)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.confirmed(update));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> hub.runtime().outbox().unsent(10).isEmpty()
                            && !api.calls("sendMessage").isEmpty());
            assertEquals(List.of("Echo: after the crash"), texts());
            assertEquals(2, hub.runtime().sessions().history("telegram:42", 100).size());
        }
    }

    @Test
    void aHubKilledInTheMiddleOfABurstRunsTheAgentOncePerMessage() throws Exception {
        int chats = 60; // sent at 30 a second at most, so the kill lands in the middle
        List<Integer> updates = new ArrayList<>();
        for (int i = 1; i <= chats; i++) updates.add(api.message(i, "private", i, null, "message " + i));
        Process child = startChild();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.calls("sendMessage").size() >= 5);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }

        assertTrue(texts().size() < chats, "the kill came before the burst was answered");
        try (TestHub hub = TestHub.start(config, ECHO)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> updates.stream().allMatch(api::confirmed));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> hub.runtime().outbox().unsent(100).isEmpty()
                            && texts().stream().distinct().count() == chats);
            for (int i = 1; i <= chats; i++) {
                List<ChatMessage> history = hub.runtime().sessions().history("telegram:" + i, 100);
                assertEquals(2, history.size(), "chat " + i + " answered exactly once: " + history);
                assertEquals("message " + i, history.getFirst().content());
            }
            // sendMessage has no idempotency key: a reply that reached Telegram before the kill but was not yet
            // marked sent is sent again by the next hub (at least once), never a third time, and the agent is not
            // asked again (the histories above).
            Map<String, Long> counts =
                    texts().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            counts.forEach((text, n) -> assertTrue(n <= 2, text + " sent " + n + " times"));
        }
    }

    private List<String> texts() {
        return api.calls("sendMessage").stream().map(FakeBotApi.Call::text).toList();
    }

    private Process startChild() throws Exception {
        return new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        KilledHubTest.class.getName(),
                        dir.resolve("hub.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }
}
