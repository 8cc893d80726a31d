package io.connectorhub.channel.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A JSON-RPC WebSocket client for tests (the JDK's client): every frame received goes into a queue. */
public final class WsTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> frames;
    private final List<JsonNode> events = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode;
    private final AtomicInteger ids = new AtomicInteger();

    private WsTestClient(WebSocket socket, BlockingQueue<JsonNode> frames, CompletableFuture<Integer> closeCode) {
        this.socket = socket;
        this.frames = frames;
        this.closeCode = closeCode;
    }

    public static WsTestClient connect(int port, Map<String, String> headers) {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        StringBuilder partial = new StringBuilder();
        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closed.complete(-1);
                    }
                })
                .join();
        return new WsTestClient(ws, frames, closed);
    }

    /** Connects with the token in an Authorization header. */
    public static WsTestClient authorized(int port, String token) {
        return connect(port, Map.of("Authorization", "Bearer " + token));
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    public int request(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode req =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        req.set("params", JSON.valueToTree(params));
        sendRaw(req.toString());
        return id;
    }

    /** Sends a request and returns its response (the whole envelope); events seen meanwhile are kept. */
    public JsonNode call(String method, Map<String, ?> params) {
        return response(request(method, params));
    }

    /** The result of a successful call; fails the test on an error response. */
    public JsonNode result(String method, Map<String, ?> params) {
        JsonNode response = call(method, params);
        if (!response.has("result")) throw new AssertionError("expected a result, got " + response);
        return response.get("result");
    }

    public JsonNode response(int id) {
        while (true) {
            JsonNode frame = next();
            if (frame.has("id") && frame.get("id").asInt() == id && !frame.has("method")) return frame;
            if (frame.has("method")) events.add(frame);
        }
    }

    /** The next frame of any kind. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) throw new AssertionError("no frame within " + WAIT);
            return frame;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public List<JsonNode> events() {
        return events;
    }

    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed())
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        socket.abort();
    }
}
