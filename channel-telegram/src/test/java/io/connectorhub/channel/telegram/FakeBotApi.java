package io.connectorhub.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Bot API server for tests, speaking Telegram's JSON over HTTP: keeps updates until a {@code getUpdates}
 * offset confirms them (as Telegram does), keeps the webhook {@code setWebhook} registered (and then answers
 * {@code getUpdates} with 409 Conflict, as Telegram does), records every call, and answers scripted errors.
 */
final class FakeBotApi implements AutoCloseable {
    static final String TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz";
    static final long BOT_ID = 999;
    static final String BOT_USERNAME = "hub_bot";
    static final String WEBHOOK_CONFLICT =
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

    /** One call the hub made. */
    record Call(String method, JsonNode params, long atMillis) {
        String text() {
            return params.path("text").asText();
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<ObjectNode> updates = new ArrayList<>();
    private final List<ObjectNode> replays = new ArrayList<>();
    private int replayed;
    private final Map<String, Deque<Scripted>> scripts = new HashMap<>();
    private String webhookUrl;
    private String webhookSecret;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private int nextUpdateId = 100;
    private int nextMessageId = 5000;
    private volatile CountDownLatch holdUpdates;
    private final AtomicInteger polls = new AtomicInteger();
    /** The most {@code getUpdates} calls that were open at once: Telegram allows one per bot. */
    final AtomicInteger mostPolls = new AtomicInteger();
    /** The content of every file served for download; {@code getFile} reports its size. */
    volatile byte[] fileBytes = "not really a jpeg".getBytes(StandardCharsets.UTF_8);

    FakeBotApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues a text message from {@code userId} in chat {@code chatId}; returns its update id. */
    synchronized int message(long chatId, String chatType, long userId, String username, String text) {
        ObjectNode message = json.createObjectNode();
        message.put("message_id", nextMessageId++);
        message.put("date", 1_700_000_000);
        message.putObject("chat").put("id", chatId).put("type", chatType);
        ObjectNode from =
                message.putObject("from").put("id", userId).put("is_bot", false).put("first_name", "U");
        if (username != null) from.put("username", username);
        message.put("text", text);
        return add(message);
    }

    synchronized int add(ObjectNode message) {
        ObjectNode update = json.createObjectNode();
        update.put("update_id", nextUpdateId++);
        update.set("message", message);
        updates.add(update);
        notifyAll();
        return update.get("update_id").asInt();
    }

    /**
     * Returns the update {@code updateId} once more in the next {@code getUpdates} answer, even though an offset
     * already confirmed it, so that only the hub's own de-duplication can keep it from being answered twice. This
     * is what the hub sees when it stored an update but stopped before confirming it (Telegram sends it again).
     */
    synchronized void replay(int updateId, ObjectNode message) {
        ObjectNode update = json.createObjectNode();
        update.put("update_id", updateId);
        update.set("message", message);
        replays.add(update);
        notifyAll();
    }

    /** How many updates given to {@link #replay} a {@code getUpdates} answer has returned. */
    synchronized int replayed() {
        return replayed;
    }

    synchronized ObjectNode messageOf(int updateId) {
        return updates.stream()
                .filter(u -> u.get("update_id").asInt() == updateId)
                .map(u -> (ObjectNode) u.get("message"))
                .findFirst()
                .orElseThrow();
    }

    /**
     * How the next call of a method is answered: {@code status} 0 normally; otherwise with that status and body, or
     * (status -1) with the normal answer cut off halfway, the connection closed. {@code applied}: the call takes
     * effect all the same.
     */
    private record Scripted(int status, String body, String type, boolean applied) {}

    /** Answers the next call of {@code method} with an error. */
    void fail(String method, int code, String description, Integer retryAfter) {
        script(method, new Scripted(code, error(code, description, retryAfter), "application/json", false));
    }

    /** Answers the next call of {@code method} normally (so that an error queued after it hits a later call). */
    void pass(String method) {
        script(method, new Scripted(0, null, null, true));
    }

    /**
     * Answers the next call of {@code method} with a proxy's HTML 502 page instead of a Bot API reply; if
     * {@code applied}, the call took effect before its answer was lost.
     */
    void badGateway(String method, boolean applied) {
        script(method, new Scripted(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", applied));
    }

    /**
     * Lets the next call of {@code method} take effect, then breaks the connection halfway through the answer (the
     * client has sent the call and cannot tell whether it took effect).
     */
    void cutOffAfterApplying(String method) {
        script(method, new Scripted(-1, null, null, true));
    }

    private synchronized void script(String method, Scripted answer) {
        scripts.computeIfAbsent(method.toLowerCase(java.util.Locale.ROOT), m -> new ArrayDeque<>())
                .add(answer);
    }

    /** The URL Telegram would deliver to now, or null while no webhook is set. */
    synchronized String webhook() {
        return webhookUrl;
    }

    /** The secret token registered with {@link #webhook()}. */
    synchronized String webhookSecret() {
        return webhookSecret;
    }

    /** Makes getUpdates calls that have updates to return wait until {@link #release()}. */
    void holdUpdates() {
        holdUpdates = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch latch = holdUpdates;
        holdUpdates = null;
        if (latch != null) latch.countDown();
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equalsIgnoreCase(method)).toList();
    }

    synchronized boolean confirmed(int updateId) {
        return updates.stream().noneMatch(u -> u.get("update_id").asInt() == updateId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String prefix = "/bot" + TOKEN + "/";
            if (path.startsWith("/file" + prefix)) {
                calls.add(new Call(
                        "download",
                        json.createObjectNode().put("path", path.substring(5 + prefix.length())),
                        System.currentTimeMillis()));
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, fileBytes.length);
                exchange.getResponseBody().write(fileBytes);
                return;
            }
            if (!path.startsWith(prefix)) {
                respond(exchange, 401, error(401, "Unauthorized", null));
                return;
            }
            String method = path.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode params = body.length == 0
                    ? json.createObjectNode()
                    : type != null && type.startsWith("multipart/form-data")
                            ? multipart(type, body)
                            : json.readTree(body);
            calls.add(new Call(method, params, System.currentTimeMillis()));
            Scripted scripted;
            synchronized (this) {
                Deque<Scripted> queue = scripts.get(method);
                scripted = queue == null ? null : queue.poll();
            }
            if (scripted != null && scripted.status() != 0) {
                String answer = scripted.applied() ? ok(method, params) : null;
                if (scripted.status() > 0) {
                    respond(exchange, scripted.status(), scripted.type(), scripted.body());
                } else {
                    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
                    exchange.getResponseBody()
                            .flush(); // closing the exchange short of the length breaks the connection
                }
                return;
            }
            if (method.equals("getupdates") && webhook() != null) {
                respond(exchange, 409, error(409, WEBHOOK_CONFLICT, null));
                return;
            }
            respond(exchange, 200, ok(method, params));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text fields of a multipart body (as telegrambots sends setWebhook). */
    private ObjectNode multipart(String type, byte[] body) {
        String boundary = "--" + type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
        ObjectNode fields = json.createObjectNode();
        for (String part : new String(body, StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(boundary))) {
            int nameAt = part.indexOf("name=\"");
            int blank = part.indexOf("\r\n\r\n");
            if (nameAt < 0 || blank < 0) continue;
            String name = part.substring(nameAt + 6, part.indexOf('"', nameAt + 6));
            fields.put(name, part.substring(blank + 4).replaceAll("\r\n$", ""));
        }
        return fields;
    }

    private String ok(String method, JsonNode params) throws InterruptedException {
        ObjectNode reply = json.createObjectNode().put("ok", true);
        switch (method) {
            case "getme" ->
                reply.putObject("result")
                        .put("id", BOT_ID)
                        .put("is_bot", true)
                        .put("first_name", "Hub")
                        .put("username", BOT_USERNAME);
            case "getupdates" -> {
                mostPolls.accumulateAndGet(polls.incrementAndGet(), Math::max);
                try {
                    reply.set("result", json.valueToTree(updates(params)));
                } finally {
                    polls.decrementAndGet();
                }
            }
            case "sendmessage", "editmessagetext" -> {
                ObjectNode m = reply.putObject("result");
                synchronized (this) {
                    m.put(
                            "message_id",
                            params.has("message_id") ? params.get("message_id").asInt() : nextMessageId++);
                }
                m.put("date", 1_700_000_000);
                m.putObject("chat").put("id", params.path("chat_id").asLong()).put("type", "private");
                m.put("text", params.path("text").asText());
            }
            case "getfile" ->
                reply.putObject("result")
                        .put("file_id", params.path("file_id").asText())
                        .put(
                                "file_unique_id",
                                "unique-" + params.path("file_id").asText())
                        .put("file_size", fileBytes.length)
                        .put("file_path", "photos/file_1.jpg");
            case "setwebhook" -> {
                synchronized (this) {
                    webhookUrl = params.path("url").asText();
                    webhookSecret = params.path("secret_token").asText(null);
                }
                reply.put("result", true).put("description", "Webhook was set");
            }
            case "deletewebhook" -> {
                synchronized (this) {
                    webhookUrl = null;
                    webhookSecret = null;
                }
                reply.put("result", true).put("description", "Webhook was deleted");
            }
            default -> reply.put("result", true);
        }
        return reply.toString();
    }

    private List<ObjectNode> updates(JsonNode params) throws InterruptedException {
        long deadline =
                System.currentTimeMillis() + Math.min(params.path("timeout").asLong(0), 2) * 1000;
        List<ObjectNode> out;
        synchronized (this) {
            if (params.hasNonNull("offset")) {
                int offset = params.get("offset").asInt();
                updates.removeIf(u -> u.get("update_id").asInt() < offset);
            }
            while (updates.isEmpty() && replays.isEmpty() && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            List<ObjectNode> answer = new ArrayList<>(replays);
            answer.addAll(updates);
            replayed += replays.size();
            replays.clear();
            out = List.copyOf(answer);
        }
        CountDownLatch latch = holdUpdates;
        if (!out.isEmpty() && latch != null) latch.await(30, TimeUnit.SECONDS);
        return out;
    }

    private String error(int code, String description, Integer retryAfter) {
        ObjectNode reply =
                json.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
        if (retryAfter != null) reply.putObject("parameters").put("retry_after", retryAfter);
        return reply.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, "application/json", body);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
