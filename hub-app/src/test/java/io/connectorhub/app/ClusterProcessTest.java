package io.connectorhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.channel.websocket.WsTestClient;
import io.connectorhub.core.testing.TestDatabase;
import io.connectorhub.core.testing.TestPostgres;
import io.connectorhub.core.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hub processes on one PostgreSQL database, WebSocket clients spread over them and Telegram polling on one: the
 * instance holding Telegram is killed with SIGKILL in the middle of the load, and still every message is answered
 * once, in order per session, and Telegram polling goes on elsewhere.
 */
@ExtendWith(TestPostgres.class)
class ClusterProcessTest {
    private static final String TOKEN = "cluster-ws-token-0123456789";
    private static final String ADMIN = "cluster-admin-token-0123456789";
    private static final int CLIENTS = 3;
    private static final int MESSAGES = 10; // per client, over two sessions
    private static final long[] TELEGRAM_USERS = {101, 102, 103, 104};
    private static final int UPDATES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One hub process: its name (and directory), port, process and instance id. */
    private record Instance(String name, int port, Process process, String id) {}

    private final List<Instance> instances = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        for (Instance i : instances) {
            i.process().destroyForcibly();
            i.process().waitFor();
        }
    }

    @Test
    void killingTheInstanceThatPollsTelegramLosesNoMessageAndAnswersEachOnceInOrder(TestDatabase database)
            throws Throwable {
        this.database = database;
        PollingBotApi bot = new PollingBotApi();
        open.add(bot);
        try {
            run(bot, new TestStore("postgresql", dir, database).storeUrl());
        } catch (Throwable failure) {
            for (int i = 0; i < 3; i++) {
                Path log = dir.resolve("hub" + i + ".log");
                if (!Files.exists(log)) continue;
                System.out.println("===== log of hub" + i + " =====");
                System.out.println(Files.readString(log));
            }
            throw failure;
        }
    }

    private void run(PollingBotApi bot, String storeUrl) throws Exception {
        List<Process> starting = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path home = Files.createDirectories(dir.resolve("hub" + i));
            int port = HubProcess.freePort();
            Path config = HubProcess.config(home, port, yaml(bot));
            starting.add(HubProcess.start(config, dir.resolve("hub" + i + ".log"), Map.of("HUB_STORE_URL", storeUrl)));
            ports.add(port);
        }
        for (int i = 0; i < 3; i++) {
            int port = ports.get(i);
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HubProcess.healthy(port));
            String id = Files.readString(dir.resolve("hub" + i + "/data/instance-id"))
                    .strip();
            instances.add(new Instance("hub" + i, port, starting.get(i), id));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> holder(instances.get(0)) != null);
        String holderId = holder(instances.get(0));
        Instance holder = instances.stream()
                .filter(i -> i.id().equals(holderId))
                .findFirst()
                .orElseThrow();
        Instance survivor = instances.get((instances.indexOf(holder) + 1) % 3);

        // First half: every client sends half its messages, Telegram delivers half the updates; all are answered.
        List<WsTestClient> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            WsTestClient client = WsTestClient.authorized(instances.get(c).port(), TOKEN);
            open.add(client);
            clients.add(client);
        }
        List<List<Integer>> requests = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) requests.add(new ArrayList<>());
        for (int m = 0; m < MESSAGES / 2; m++) {
            for (int c = 0; c < CLIENTS; c++) requests.get(c).add(clients.get(c).request("chat.send", send(c, m)));
        }
        for (int u = 0; u < UPDATES / 2; u++) bot.message(TELEGRAM_USERS[u % TELEGRAM_USERS.length], "update " + u);
        for (int c = 0; c < CLIENTS; c++) {
            Map<Integer, JsonNode> answers = responses(clients.get(c), requests.get(c));
            for (int m = 0; m < MESSAGES / 2; m++)
                assertAnswer(c, m, answers.get(requests.get(c).get(m)));
        }

        // Second half, and while it is on its way the holder of Telegram polling is killed.
        for (int m = MESSAGES / 2; m < MESSAGES; m++) {
            for (int c = 0; c < CLIENTS; c++) requests.get(c).add(clients.get(c).request("chat.send", send(c, m)));
        }
        for (int u = UPDATES / 2; u < 3 * UPDATES / 4; u++) {
            bot.message(TELEGRAM_USERS[u % TELEGRAM_USERS.length], "update " + u);
        }
        holder.process().destroyForcibly();
        assertEquals(128 + 9, holder.process().waitFor(), "the process ended by SIGKILL");
        // Telegram resends what the dead instance had confirmed last, as when its confirmation was lost with it.
        bot.resendLastConfirmed(3);
        for (int u = 3 * UPDATES / 4; u < UPDATES; u++) {
            bot.message(TELEGRAM_USERS[u % TELEGRAM_USERS.length], "update " + u);
        }

        // The killed instance's client connects to another instance and sends its second half again, same keys.
        int killed = instances.indexOf(holder);
        WsTestClient again = WsTestClient.authorized(survivor.port(), TOKEN);
        open.add(again);
        for (int m = MESSAGES / 2; m < MESSAGES; m++) assertAnswer(killed, m, resend(again, send(killed, m)));
        for (int c = 0; c < CLIENTS; c++) {
            if (c == killed) continue;
            List<Integer> secondHalf = requests.get(c).subList(MESSAGES / 2, MESSAGES);
            Map<Integer, JsonNode> answers = responses(clients.get(c), secondHalf);
            for (int m = MESSAGES / 2; m < MESSAGES; m++)
                assertAnswer(c, m, answers.get(requests.get(c).get(m)));
        }

        // Telegram polling resumed on a surviving instance, which answers the updates sent after the kill.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String now = holder(survivor);
            return now != null && !now.equals(holder.id());
        });
        String newHolder = holder(survivor);
        assertTrue(instances.stream().filter(i -> i != holder).anyMatch(i -> i.id().equals(newHolder)), newHolder);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rows("SELECT count(*) FROM inbox WHERE state = 'done'")
                        .equals(List.of(String.valueOf(CLIENTS * MESSAGES + UPDATES))));
        for (int u = 3 * UPDATES / 4; u < UPDATES; u++) {
            String text = "update " + u;
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bot.sent().stream()
                                    .filter(s -> s.text().startsWith("You said: " + text + "\n"))
                                    .count()
                            == 1);
        }

        // From the database: one agent run and one stored reply per message, in order per session.
        assertEquals(List.of(String.valueOf(CLIENTS * MESSAGES + UPDATES)), rows("SELECT count(*) FROM inbox"));
        assertEquals(
                List.of(),
                rows("SELECT channel || ' ' || in_reply_to FROM outbox GROUP BY channel, in_reply_to"
                        + " HAVING count(*) <> 1"),
                "one stored reply per message");
        assertEquals(List.of(String.valueOf(CLIENTS * MESSAGES + UPDATES)), rows("SELECT count(*) FROM outbox"));
        for (int c = 0; c < CLIENTS; c++) {
            for (int s = 0; s < 2; s++) {
                List<String> texts = new ArrayList<>();
                for (int m = s; m < MESSAGES; m += 2) texts.add("c" + c + " m" + m);
                assertEquals(conversation(texts), history("websocket:c" + c + "s" + s), "session c" + c + "s" + s);
            }
        }
        for (int t = 0; t < TELEGRAM_USERS.length; t++) {
            List<String> texts = new ArrayList<>();
            for (int u = t; u < UPDATES; u += TELEGRAM_USERS.length) texts.add("update " + u);
            assertEquals(conversation(texts), history("telegram:" + TELEGRAM_USERS[t]), "chat " + TELEGRAM_USERS[t]);
        }
    }

    private static String yaml(PollingBotApi bot) {
        return """
                cluster: {heartbeat: 2s, deadAfter: 8s}
                admin:
                  tokens: [{token: %s, scopes: [admin.read]}]
                channels:
                  websocket:
                    token: %s
                    rateLimitPerMinute: 100000
                """.formatted(ADMIN, TOKEN) + bot.yaml(TELEGRAM_USERS);
    }

    /** Client {@code c}'s message {@code m}: sessions alternate, the idempotency key names the message. */
    private static Map<String, String> send(int c, int m) {
        return Map.of("text", "c" + c + " m" + m, "session_key", session(c, m), "idempotency_key", "c" + c + "-m" + m);
    }

    private static String session(int c, int m) {
        return "c" + c + "s" + (m % 2);
    }

    private static void assertAnswer(int c, int m, JsonNode response) {
        assertTrue(response.has("result"), "c" + c + " m" + m + ": " + response);
        String text = response.get("result").get("text").asText();
        assertTrue(text.startsWith("You said: c" + c + " m" + m + "\n"), text);
    }

    /** The responses to the requests {@code ids}, in whatever order they come (sessions are answered concurrently). */
    private static Map<Integer, JsonNode> responses(WsTestClient client, List<Integer> ids) {
        Map<Integer, JsonNode> answers = new HashMap<>();
        while (!answers.keySet().containsAll(ids)) {
            JsonNode frame = client.next();
            if (frame.has("id") && !frame.has("method"))
                answers.put(frame.get("id").asInt(), frame);
        }
        return answers;
    }

    /**
     * Sends {@code params} until an answer comes: a repeat waits on the instance it reaches, and when another instance
     * answers the message this one does not hear of it, so after the client's wait the repeat is sent again and then
     * finds the stored reply.
     */
    private static JsonNode resend(WsTestClient client, Map<String, String> params) {
        for (int attempt = 1; ; attempt++) {
            int id = client.request("chat.send", params);
            try {
                return client.response(id);
            } catch (AssertionError noAnswer) {
                if (attempt == 4) throw noAnswer;
            }
        }
    }

    /** The history the built-in agent leaves when it answers {@code texts} once each, in this order. */
    private static List<String> conversation(List<String> texts) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add("user:" + texts.get(i));
            rows.add("assistant:You said: " + texts.get(i) + "\n(message " + (i + 1) + " in this conversation)");
        }
        return rows;
    }

    private List<String> history(String session) throws Exception {
        return rows("SELECT role || ':' || content FROM messages WHERE session_key = ? ORDER BY seq", session);
    }

    private List<String> rows(String sql, Object... args) throws Exception {
        return Column.of(database, sql, args);
    }

    /** The holder of Telegram's single connection in {@code instance}'s {@code /api/v1/status}, or null. */
    private static String holder(Instance instance) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/api/v1/status"))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        for (JsonNode channel : JSON.readTree(response.body()).get("channels")) {
            if (channel.get("name").asText().equals("telegram")) {
                JsonNode holder = channel.get("holder");
                return holder == null || holder.isNull() ? null : holder.asText();
            }
        }
        throw new AssertionError("no telegram channel in " + response.body());
    }
}
