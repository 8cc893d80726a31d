package io.connectorhub.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A Telegram Bot API on loopback for hubs in long-polling mode: like Telegram, it keeps each update until a {@code
 * getUpdates} offset confirms it, and it keeps every message the hub sent as {@code editMessageText} left it last
 * (replies are streamed: sent, then edited). Other methods answer success.
 */
final class PollingBotApi implements AutoCloseable {
    static final String TOKEN = "123456:CLUSTER-token-abcdefghijklmnopqrstuvwxyz";

    /** A message the hub sent: its chat and (latest) text. */
    record Sent(long chatId, String text) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<ObjectNode> unconfirmed = new ArrayList<>();
    private final List<ObjectNode> confirmed = new ArrayList<>();
    private final List<ObjectNode> resent = new ArrayList<>();
    private int nextUpdateId = 1000;
    private final Map<Integer, Sent> sent = new LinkedHashMap<>();

    PollingBotApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code channels.telegram} of a hub.yaml polling this API, accepting {@code users}, indented for {@code channels}. */
    String yaml(long... users) {
        return """
                  telegram:
                    enabled: true
                    token: "%s"
                    allowFrom: %s
                    apiUrl: %s
                    pollTimeout: 1s
                """.formatted(
                TOKEN,
                java.util.Arrays.stream(users).mapToObj(u -> "\"" + u + "\"").toList(),
                url());
    }

    /** Queues a text message from user {@code userId} in their private chat. */
    synchronized void message(long userId, String text) {
        ObjectNode update = json.createObjectNode().put("update_id", nextUpdateId++);
        ObjectNode message = update.putObject("message")
                .put("message_id", nextUpdateId)
                .put("date", 1_700_000_000)
                .put("text", text);
        message.putObject("chat").put("id", userId).put("type", "private");
        message.putObject("from").put("id", userId).put("is_bot", false).put("first_name", "U");
        unconfirmed.add(update);
        notifyAll();
    }

    /**
     * Delivers the last {@code count} confirmed updates once more, as Telegram does when the confirmation of a poll
     * never reached it: only the hub's de-duplication keeps them from being answered twice.
     */
    synchronized void resendLastConfirmed(int count) {
        resent.addAll(confirmed.subList(Math.max(0, confirmed.size() - count), confirmed.size()));
        notifyAll();
    }

    /** Every message the hub sent, in the order sent, each with its latest text. */
    synchronized List<Sent> sent() {
        return List.copyOf(sent.values());
    }

    /** Records a sent message or an edit of one; returns its message id. */
    private synchronized int record(JsonNode params) {
        long chatId = params.path("chat_id").asLong();
        int id = params.has("message_id") ? params.get("message_id").asInt() : 1 + sent.size();
        sent.put(id, new Sent(chatId, params.path("text").asText()));
        return id;
    }

    /** How many updates {@code getUpdates} has not had confirmed yet. */
    synchronized int unconfirmed() {
        return unconfirmed.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String prefix = "/bot" + TOKEN + "/";
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(prefix)) {
                respond(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode params = body.length == 0 ? json.createObjectNode() : json.readTree(body);
            ObjectNode reply = json.createObjectNode().put("ok", true);
            switch (path.substring(prefix.length()).toLowerCase(Locale.ROOT)) {
                case "getme" ->
                    reply.putObject("result")
                            .put("id", 999)
                            .put("is_bot", true)
                            .put("first_name", "Hub")
                            .put("username", "hub_bot");
                case "getupdates" -> reply.set("result", json.valueToTree(updates(params)));
                case "sendmessage", "editmessagetext" -> {
                    ObjectNode m = reply.putObject("result")
                            .put("message_id", record(params))
                            .put("date", 1_700_000_000)
                            .put("text", params.path("text").asText());
                    m.putObject("chat")
                            .put("id", params.path("chat_id").asLong())
                            .put("type", "private");
                }
                default -> reply.put("result", true);
            }
            respond(exchange, 200, reply.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Confirms what {@code offset} confirms, then answers what is left, waiting up to a second for some. */
    private synchronized List<ObjectNode> updates(JsonNode params) throws InterruptedException {
        if (params.hasNonNull("offset")) {
            int offset = params.get("offset").asInt();
            for (ObjectNode update : List.copyOf(unconfirmed)) {
                if (update.get("update_id").asInt() < offset) {
                    unconfirmed.remove(update);
                    confirmed.add(update);
                }
            }
        }
        long deadline =
                System.currentTimeMillis() + Math.min(params.path("timeout").asLong(0), 1) * 1000;
        while (unconfirmed.isEmpty() && resent.isEmpty() && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        }
        List<ObjectNode> answer = new ArrayList<>(resent);
        resent.clear();
        answer.addAll(unconfirmed);
        return answer;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
