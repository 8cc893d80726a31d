package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.internal.ChannelStatus.State;
import io.connectorhub.core.testing.PostgresServer;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs on one PostgreSQL server that stops for a few seconds and starts again: they recover without a restart,
 * answer once each message sent before, during and after, hold Telegram polling on one instance again, and beat again.
 */
@ExtendWith(TestPostgres.class)
class DatabaseRestartTest {
    private static final String TOKEN = "restart-ws-token-0123456789";
    private static final long USER = 101;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Hub hub(String instance, String storeUrl, PollingBotApi bot) throws Exception {
        Hub hub = Hub.start(
                InstanceConfig.load(dir, instance, storeUrl, """
                        cluster: {heartbeat: 1s, deadAfter: 20s}
                        channels:
                          websocket:
                            token: %s
                        """.formatted(TOKEN) + bot.yaml(USER)), Clock.systemUTC());
        open.add(hub);
        return hub;
    }

    @Test
    void hubsRecoverFromADatabaseRestartWithoutLosingOrRepeatingAMessage(TestDatabase database, PostgresServer server)
            throws Exception {
        this.database = database;
        PollingBotApi bot = new PollingBotApi();
        open.add(bot);
        String storeUrl = new TestStore("postgresql", dir, database).storeUrl();
        Hub a = hub("a", storeUrl, bot);
        Hub b = hub("b", storeUrl, bot);
        await().atMost(Duration.ofSeconds(20)).until(() -> running(a, b) == 1);
        Hub holder = state(a) == State.RUNNING ? a : b;
        WsTestClient clientA = WsTestClient.authorized(a.port(), TOKEN);
        open.add(clientA);
        WsTestClient clientB = WsTestClient.authorized(b.port(), TOKEN);
        open.add(clientB);

        assertAnswer("before a", 1, clientA.call("chat.send", send("a", "before a")));
        assertAnswer("before b", 1, clientB.call("chat.send", send("b", "before b")));
        bot.message(USER, "update before");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        1,
                        sent(bot, "update before"),
                        bot.sent() + " " + bot.unconfirmed() + " "
                                + rows("SELECT channel || ' ' || message_id || ' ' || state FROM inbox")));

        server.stop();
        // The holder notices that its lock went with the server and stops receiving.
        await().atMost(Duration.ofSeconds(20)).until(() -> state(holder) == State.STANDBY);
        int duringA = clientA.request("chat.send", send("a", "during a"));
        int duringB = clientB.request("chat.send", send("b", "during b"));
        bot.message(USER, "update during");
        // For the few seconds the database stays away, no instance receives from Telegram: nobody holds the lock.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> running(a, b) == 0);
        long restartedAt = System.currentTimeMillis();
        server.start();

        // Callers waited for the database rather than getting an error: their messages are answered.
        assertAnswer("during a", 2, clientA.response(duringA));
        assertAnswer("during b", 2, clientB.response(duringB));
        assertAnswer("after a", 3, clientA.call("chat.send", send("a", "after a")));
        assertAnswer("after b", 3, clientB.call("chat.send", send("b", "after b")));
        await().atMost(Duration.ofSeconds(30)).until(() -> running(a, b) == 1);
        bot.message(USER, "update after");
        for (String update : List.of("update during", "update after")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sent(bot, update) == 1);
        }

        assertEquals(1, running(a, b), "one instance holds Telegram polling");
        Hub newHolder = state(a) == State.RUNNING ? a : b;
        assertEquals(Optional.of(newHolder.runtime().instanceId()), a.runtime().holder("telegram"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rows("SELECT count(*) FROM instances WHERE last_seen > ?", restartedAt)
                        .equals(List.of("2")));
        assertEquals(List.of("9"), rows("SELECT count(*) FROM inbox WHERE state = 'done'"));
        assertEquals(
                List.of(),
                rows("SELECT in_reply_to FROM outbox GROUP BY channel, in_reply_to HAVING count(*) <> 1"),
                "one stored reply per message");
        assertEquals(List.of("9"), rows("SELECT count(*) FROM outbox"));
        assertEquals(
                List.of("update before", "update during", "update after"),
                rows("SELECT content FROM messages WHERE session_key = 'telegram:101' AND role = 'user'"
                        + " ORDER BY seq"));
    }

    private static int running(Hub... hubs) {
        int running = 0;
        for (Hub hub : hubs) if (state(hub) == State.RUNNING) running++;
        return running;
    }

    private static State state(Hub hub) {
        return hub.runtime().channels().state("telegram");
    }

    private static long sent(PollingBotApi bot, String text) {
        return bot.sent().stream()
                .filter(s -> s.text().startsWith("You said: " + text + "\n"))
                .count();
    }

    private static Map<String, String> send(String session, String text) {
        return Map.of("text", text, "session_key", session, "idempotency_key", text.replace(' ', '-'));
    }

    private static void assertAnswer(String text, int turn, JsonNode response) {
        assertTrue(response.has("result"), text + ": " + response);
        assertEquals(
                "You said: " + text + "\n(message " + turn + " in this conversation)",
                response.get("result").get("text").asText());
    }

    private List<String> rows(String sql, Object... args) throws Exception {
        return Column.of(database, sql, args);
    }
}
