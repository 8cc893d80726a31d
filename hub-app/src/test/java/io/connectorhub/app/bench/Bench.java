package io.connectorhub.app.bench;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** What the load benchmarks share: starting the hub as users do, WebSocket connections, percentiles, tables. */
final class Bench {
    static final String TOKEN = "bench-token-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newBuilder().build();

    private Bench() {}

    /**
     * Starts the hub through the launcher ({@code ./hub run --config}), as users start it, on {@code port} with its
     * data under {@code dir}, the WebSocket token {@link #TOKEN}, no per-connection limits, plus {@code moreYaml}
     * (top-level sections other than server, store and channels).
     */
    static Process startHub(Path dir, int port, String moreYaml) throws IOException {
        return startHub(dir, port, moreYaml, Map.of());
    }

    /** As {@link #startHub(Path, int, String)}, with {@code env} added to the hub's environment. */
    static Process startHub(Path dir, int port, String moreYaml, Map<String, String> env) throws IOException {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server:
                  port: %d
                store:
                  dataDir: %s
                channels:
                  websocket:
                    token: %s
                    rateLimitPerMinute: 1000000
                    maxConnections: 20000
                """.formatted(port, dir.resolve("data"), TOKEN) + moreYaml);
        List<String> command =
                List.of(Path.of("hub").toAbsolutePath().toString(), "run", "--config", config.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve("hub.log").toFile())
                .start();
    }

    static void awaitHealthy(int port) throws Exception {
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
            Thread.sleep(5);
        }
        throw new IllegalStateException("hub on port " + port + " did not become healthy");
    }

    static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("port " + port + " never opened");
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    static String[] row(String scenario, String goal, String measured, Boolean met) {
        return new String[] {scenario, goal, measured, met == null ? "" : met ? "yes" : "no"};
    }

    static void printTable(List<String[]> rows) {
        System.out.println("| Scenario | Goal | Measured | Met |");
        System.out.println("| --- | --- | --- | --- |");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    /** Latencies of one run, sorted, in microseconds. */
    interface Call {
        void run(int client, long id) throws Exception;
    }

    /**
     * Each of {@code clients} virtual threads repeats: one call, a pause, until time is up. The pause is random
     * between 0 and twice {@code thinkMs} (so {@code thinkMs} on average), and the clients start spread over
     * {@code cycleMs} (a call and a pause): with fixed pauses, clients that once met in a queue (behind a
     * collection pause, say) would stay in step for the rest of the run and arrive in ever larger bursts.
     */
    static Result closedLoop(int clients, int seconds, int thinkMs, int cycleMs, Call call) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<List<Long>>> perClient = new ArrayList<>();
        long start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                perClient.add(threads.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    if (cycleMs > 0) Thread.sleep((long) (Math.random() * cycleMs)); // spread the starts
                    for (long id = 1; System.nanoTime() < end; id++) {
                        long t0 = System.nanoTime();
                        call.run(client, id);
                        latencies.add((System.nanoTime() - t0) / 1000);
                        if (thinkMs > 0)
                            Thread.sleep(ThreadLocalRandom.current().nextLong(2L * thinkMs + 1));
                    }
                    return latencies;
                }));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (var f : perClient) all.addAll(f.get());
        return Result.of(all, elapsed);
    }

    record Result(long messages, double seconds, long[] micros) {
        static Result of(List<Long> latencies, double seconds) {
            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(sorted.length, seconds, sorted);
        }

        double perSecond() {
            return messages / seconds;
        }

        /** The percentile in milliseconds. */
        double ms(double percentile) {
            if (micros.length == 0) return 0;
            return micros[(int) Math.min(micros.length - 1, Math.ceil(percentile / 100 * micros.length) - 1)] / 1000.0;
        }

        String summary() {
            return String.format("%.0f msgs/s, p50 %.2f ms, p99 %.2f ms", perSecond(), ms(50), ms(99));
        }
    }

    /**
     * An authenticated WebSocket connection that hands each received frame to whoever waits for the next one, and
     * for requests sent with {@link #sendTimed} records the latency from when they were due to their answer.
     */
    static final class Conn implements WebSocket.Listener {
        private final AtomicReference<CompletableFuture<String>> next =
                new AtomicReference<>(new CompletableFuture<>());
        private final StringBuilder partial = new StringBuilder();
        private final Map<Long, Long> dueById = new ConcurrentHashMap<>();
        final List<Long> timedLatencies = Collections.synchronizedList(new ArrayList<>());
        private volatile WebSocket socket;

        static Conn open(int port) {
            return open(port, TOKEN);
        }

        /** A connection authenticated with {@code token}: the shared token, or a user's access token. */
        static Conn open(int port, String token) {
            Conn c = new Conn();
            c.socket = HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), c)
                    .join();
            return c;
        }

        static String chatSend(long id, String session, String text) {
            return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.send\",\"params\":{\"text\":\"" + text
                    + "\",\"session_key\":\"" + session + "\"}}";
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                long received = System.nanoTime();
                if (!dueById.isEmpty()) {
                    int at = frame.indexOf("\"id\":");
                    if (at >= 0) {
                        int end = at + 5;
                        while (end < frame.length() && Character.isDigit(frame.charAt(end))) end++;
                        Long due = dueById.remove(Long.parseLong(frame.substring(at + 5, end)));
                        if (due != null) timedLatencies.add((received - due) / 1000);
                    }
                }
                next.getAndSet(new CompletableFuture<>()).complete(frame);
            }
            ws.request(1);
            return null;
        }

        /** Sends a request and waits for the next frame. */
        String roundTrip(String frame) {
            CompletableFuture<String> reply = next.get();
            socket.sendText(frame, true).join();
            return reply.orTimeout(60, TimeUnit.SECONDS).join();
        }

        /** Sends request {@code id} without waiting; its answer's latency is counted from {@code dueNanos}. */
        void sendTimed(long id, String frame, long dueNanos) {
            dueById.put(id, dueNanos);
            socket.sendText(frame, true);
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
        }
    }
}
