package io.connectorhub.app.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/**
 * What the hub adds around an LLM: a WireMock OpenAI-compatible server answers every completion after a fixed delay
 * (a streamed reply of three deltas); N WebSocket sessions talk to the hub (its own process, started as
 * {@code ./hub run} does) in a closed loop with a think time between messages; overhead = end-to-end latency of
 * {@code chat.send} − the fixed delay. As the reference, the same number of clients call WireMock directly, which
 * shows what the delay costs without the hub (timer precision, WireMock, the client). Prints a Markdown table.
 * Run: {@code ./hub bench llm} (arguments: sessions seconds delayMs thinkMs).
 */
public final class LlmOverheadBench {
    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().build();
    private static final String SSE = """
            data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" from the"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" model."}}]}

            data: [DONE]

            """;

    private LlmOverheadBench() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int delayMs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int thinkMs = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String load = loadAverage();

        WireMockServer llm = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .containerThreads(sessions + 50)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .disableRequestJournal());
        llm.start();
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withFixedDelay(delayMs)
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(SSE)));
        List<String[]> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("hub-bench-llm");
        int port = freePort();
        Process hub = startHub(dir, port, llm.baseUrl(), "llm");
        try {
            direct(llm.baseUrl(), sessions, 3, thinkMs); // warm-up
            Result reference = direct(llm.baseUrl(), sessions, seconds, thinkMs);
            rows.add(row(
                    "reference: " + sessions + " clients → WireMock directly", "", reference.summary(delayMs), null));

            awaitHealthy(port);
            viaHub(port, sessions, 10, thinkMs, "Hello from the model."); // warm-up
            Result hubbed = viaHub(port, sessions, seconds, thinkMs, "Hello from the model.");
            double p50 = hubbed.p(50) / 1000.0 - delayMs;
            double p99 = hubbed.p(99) / 1000.0 - delayMs;
            rows.add(row(
                    sessions + " WebSocket sessions → hub → LLM agent → WireMock",
                    "overhead p50 and p99 < 5 ms",
                    hubbed.summary(delayMs),
                    p50 < 5 && p99 < 5));
            stop(hub);

            // The hub's own share: the same sessions answered by the built-in agent (no LLM, no delay).
            dir = Files.createTempDirectory("hub-bench-llm");
            port = freePort();
            hub = startHub(dir, port, llm.baseUrl(), "builtin");
            awaitHealthy(port);
            viaHub(port, sessions, 10, thinkMs, "You said: hello"); // warm-up
            Result builtin = viaHub(port, sessions, seconds, thinkMs, "You said: hello");
            rows.add(row(
                    "for comparison: the same sessions, built-in agent (no LLM)",
                    "",
                    builtin.summary(0).replaceAll("; overhead.*", ""),
                    null));
        } finally {
            stop(hub);
            llm.stop();
        }
        System.out.println("Fixed LLM delay " + delayMs + " ms; think time " + thinkMs + " ms between a session's"
                + " messages; " + seconds + " s per run. Overhead = latency − " + delayMs + " ms. Load average"
                + " (1, 5, 15 min) at start " + load + ", at the end " + loadAverage()
                + ": on a machine busy with other work the figures mostly measure the wait for a CPU.");
        System.out.println();
        System.out.println("| Scenario | Goal | Measured | Met |");
        System.out.println("| --- | --- | --- | --- |");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String[] row(String scenario, String goal, String measured, Boolean met) {
        return new String[] {scenario, goal, measured, met == null ? "" : met ? "yes" : "no"};
    }

    record Result(long messages, double seconds, long[] micros) {
        long p(double percentile) {
            if (micros.length == 0) return 0;
            return micros[(int) Math.min(micros.length - 1, Math.ceil(percentile / 100 * micros.length) - 1)];
        }

        String summary(int delayMs) {
            return String.format(
                    "%.0f msgs/s; latency p50 %.1f ms, p99 %.1f ms; overhead p50 %.1f ms, p99 %.1f ms",
                    messages / seconds,
                    p(50) / 1000.0,
                    p(99) / 1000.0,
                    p(50) / 1000.0 - delayMs,
                    p(99) / 1000.0 - delayMs);
        }
    }

    /** Each of {@code clients} virtual threads repeats: one call, {@code thinkMs} pause, until time is up. */
    private static Result closedLoop(int clients, int seconds, int thinkMs, Call call) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<long[]>> perClient = new ArrayList<>();
        long start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                perClient.add(threads.submit(() -> {
                    LongStream.Builder latencies = LongStream.builder();
                    Thread.sleep((long) (Math.random() * thinkMs)); // spread the starts
                    for (long id = 1; System.nanoTime() < end; id++) {
                        long t0 = System.nanoTime();
                        call.run(client, id);
                        latencies.add((System.nanoTime() - t0) / 1000);
                        Thread.sleep(thinkMs);
                    }
                    return latencies.build().toArray();
                }));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        LongStream all = LongStream.empty();
        for (var f : perClient) all = LongStream.concat(all, Arrays.stream(f.get()));
        long[] sorted = all.sorted().toArray();
        return new Result(sorted.length, elapsed, sorted);
    }

    interface Call {
        void run(int client, long id) throws Exception;
    }

    private static Result direct(String baseUrl, int clients, int seconds, int thinkMs) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return closedLoop(clients, seconds, thinkMs, (client, id) -> {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("WireMock answered " + r.statusCode());
        });
    }

    private static Result viaHub(int port, int sessions, int seconds, int thinkMs, String expected) throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < sessions; i++) conns.add(Conn.open(port));
        try {
            return closedLoop(sessions, seconds, thinkMs, (client, id) -> {
                String reply = conns.get(client)
                        .roundTrip("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.send\",\"params\":"
                                + "{\"text\":\"hello\",\"session_key\":\"llm-" + client + "\"}}");
                if (!reply.contains(expected)) throw new IllegalStateException("unexpected reply " + reply);
            });
        } finally {
            conns.forEach(Conn::close);
        }
    }

    /** A connection that hands each received frame to whoever waits for the next one. */
    private static final class Conn implements WebSocket.Listener {
        final AtomicReference<CompletableFuture<String>> next = new AtomicReference<>(new CompletableFuture<>());
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;

        static Conn open(int port) {
            Conn c = new Conn();
            c.socket = HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), c)
                    .join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                next.getAndSet(new CompletableFuture<>()).complete(frame);
            }
            ws.request(1);
            return null;
        }

        String roundTrip(String frame) {
            CompletableFuture<String> reply = next.get();
            socket.sendText(frame, true).join();
            return reply.orTimeout(60, TimeUnit.SECONDS).join();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
        }
    }

    private static Process startHub(Path dir, int port, String llmBaseUrl, String agent) throws IOException {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server:
                  port: %d
                store:
                  dataDir: %s
                agentLoop:
                  concurrency: 512
                channels:
                  websocket:
                    token: %s
                    rateLimitPerMinute: 1000000
                agents:
                  llm:
                    type: openai
                    baseUrl: %s/v1
                    model: bench-model
                    tools: []
                routing:
                  defaultAgent: %s
                """.formatted(port, dir.resolve("data"), TOKEN, llmBaseUrl, agent));
        List<String> command =
                List.of(Path.of("hub").toAbsolutePath().toString(), "run", "--config", config.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("hub.log").toFile())
                .start();
    }

    private static void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                var response = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("hub on port " + port + " did not become healthy");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
