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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load on the WebSocket channel, against the hub started as its own process (as {@code ./hub run} does) and, as the
 * reference, against a bare Javalin echo endpoint in another process, in the same run:
 * <ul>
 *   <li>closed loop: N clients, one {@code chat.send} round trip at a time each (built-in agent, SQLite and all);
 *   <li>open loop: a fixed rate of {@code chat.send}, latency counted from when each message was due;
 *   <li>idle: many authenticated connections doing nothing, and the hub's resident memory;
 *   <li>start-up: process start to the first 200 from {@code /health}.
 * </ul>
 * Prints a Markdown table. Run: {@code ./hub bench ws} (arguments: clients seconds rate idleConnections).
 */
public final class WsLoadBench {
    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().build();

    private WsLoadBench() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int idle = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        String testClasspath = System.getProperty("java.class.path");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String[]> rows = new ArrayList<>();

        // Start-up: the first start builds the class-data archive; then three starts, as users see them.
        stop(startAndAwait(Files.createTempDirectory("hub-bench")));
        long[] ready = new long[3];
        for (int i = 0; i < ready.length; i++) {
            long t0 = System.nanoTime();
            Process hub = startAndAwait(Files.createTempDirectory("hub-bench"));
            ready[i] = (System.nanoTime() - t0) / 1_000_000;
            stop(hub);
        }
        Arrays.sort(ready);
        rows.add(row(
                "./hub run to first 200 from /health (median of 3)", "< 2000 ms", ready[1] + " ms", ready[1] < 2000));

        Path dir = Files.createTempDirectory("hub-bench");
        int hubPort = freePort();
        int echoPort = freePort();
        Process hub = startHub(dir, hubPort);
        Process echo = new ProcessBuilder(
                        java, "-cp", testClasspath, EchoServer.class.getName(), String.valueOf(echoPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitHealthy(hubPort);
            awaitPort(echoPort);

            closedLoop(hubPort, clients, 5); // warm-up
            Result hubClosed = closedLoop(hubPort, clients, seconds);
            closedLoop(echoPort, clients, 5);
            Result echoClosed = closedLoop(echoPort, clients, seconds);
            double share = hubClosed.perSecond() / echoClosed.perSecond();
            rows.add(row("echo reference, " + clients + " clients closed loop", "", echoClosed.summary(), null));
            rows.add(row(
                    "hub chat.send, " + clients + " clients closed loop",
                    "≥ 50% of echo",
                    hubClosed.summary() + String.format(" (%.0f%% of echo)", share * 100),
                    share >= 0.5));

            Result open = openLoop(hubPort, clients, rate, seconds);
            rows.add(row(
                    "hub chat.send, open loop " + rate + " msgs/s",
                    "p99 < 10 ms",
                    open.summary(),
                    open.p99Millis() < 10));

            long rss = idleConnections(hubPort, hub.pid(), idle);
            rows.add(row(
                    idle + " idle authenticated connections",
                    "< 512 MB RSS",
                    rss / 1024 + " MB RSS (whole hub process)",
                    rss < 512 * 1024));
        } finally {
            stop(hub);
            stop(echo);
        }
        System.out.println("| Scenario | Goal | Measured | Met |");
        System.out.println("| --- | --- | --- | --- |");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    private static String[] row(String scenario, String goal, String measured, Boolean met) {
        return new String[] {scenario, goal, measured, met == null ? "" : met ? "yes" : "no"};
    }

    record Result(long messages, double seconds, long[] latenciesMicros) {
        double perSecond() {
            return messages / seconds;
        }

        double p50Millis() {
            return percentile(50) / 1000.0;
        }

        double p99Millis() {
            return percentile(99) / 1000.0;
        }

        long percentile(double p) {
            if (latenciesMicros.length == 0) return 0;
            return latenciesMicros[
                    (int) Math.min(latenciesMicros.length - 1, Math.ceil(p / 100 * latenciesMicros.length) - 1)];
        }

        String summary() {
            return String.format("%.0f msgs/s, p50 %.2f ms, p99 %.2f ms", perSecond(), p50Millis(), p99Millis());
        }
    }

    /** A connection that hands each received frame to whoever waits for the next one. */
    private static final class Conn implements WebSocket.Listener {
        final AtomicReference<CompletableFuture<String>> next = new AtomicReference<>(new CompletableFuture<>());
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        final Map<Long, Long> dueById = new ConcurrentHashMap<>();
        final List<Long> openLatencies = java.util.Collections.synchronizedList(new ArrayList<>());

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
                long received = System.nanoTime();
                if (!dueById.isEmpty()) {
                    int at = frame.indexOf("\"id\":");
                    if (at >= 0) {
                        int end = at + 5;
                        while (end < frame.length() && Character.isDigit(frame.charAt(end))) end++;
                        Long due = dueById.remove(Long.parseLong(frame.substring(at + 5, end)));
                        if (due != null) openLatencies.add((received - due) / 1000);
                    }
                }
                next.getAndSet(new CompletableFuture<>()).complete(frame);
            }
            ws.request(1);
            return null;
        }

        String roundTrip(String frame) {
            CompletableFuture<String> reply = next.get();
            socket.sendText(frame, true).join();
            return reply.orTimeout(30, TimeUnit.SECONDS).join();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
        }
    }

    private static String chatSend(long id, String session) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"method\":\"chat.send\",\"params\":{\"text\":\"hello hub\",\"session_key\":\"" + session + "\"}}";
    }

    private static Result closedLoop(int port, int clients, int seconds) throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < clients; i++) conns.add(Conn.open(port));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<long[]>> perClient = new ArrayList<>();
        long start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                Conn c = conns.get(i);
                String session = "load-" + i;
                perClient.add(threads.submit(() -> {
                    java.util.stream.LongStream.Builder latencies = java.util.stream.LongStream.builder();
                    for (long id = 1; System.nanoTime() < end; id++) {
                        long t0 = System.nanoTime();
                        c.roundTrip(chatSend(id, session));
                        latencies.add((System.nanoTime() - t0) / 1000);
                    }
                    return latencies.build().toArray();
                }));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        conns.forEach(Conn::close);
        java.util.stream.LongStream all = java.util.stream.LongStream.empty();
        for (var f : perClient) all = java.util.stream.LongStream.concat(all, java.util.Arrays.stream(f.get()));
        long[] sorted = all.sorted().toArray();
        return new Result(sorted.length, elapsed, sorted);
    }

    private static Result openLoop(int port, int clients, int rate, int seconds) throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < clients; i++) conns.add(Conn.open(port));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(
                () -> {
                    long due = start + sent.get() * intervalNanos;
                    while (sent.get() < total && System.nanoTime() >= due) {
                        long id = sent.incrementAndGet();
                        Conn c = conns.get((int) (id % clients));
                        c.dueById.put(id, due);
                        c.socket.sendText(chatSend(id, "open-" + (id % clients)), true);
                        due = start + sent.get() * intervalNanos;
                    }
                },
                0,
                200,
                TimeUnit.MICROSECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
        while (System.nanoTime() < deadline) {
            long answered =
                    conns.stream().mapToLong(c -> c.openLatencies.size()).sum();
            if (sent.get() >= total && answered >= total) break;
            Thread.sleep(50);
        }
        timer.shutdownNow();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (Conn c : conns) all.addAll(c.openLatencies);
        conns.forEach(Conn::close);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length, elapsed, sorted);
    }

    /** Opens {@code count} authenticated connections, then reads the hub's resident set size (kB). */
    private static long idleConnections(int port, long pid, int count) throws Exception {
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {}));
            if (opening.size() == 200) {
                for (var f : opening) open.add(f.join());
                opening.clear();
            }
        }
        for (var f : opening) open.add(f.join());
        Thread.sleep(5_000); // let the hub settle (and collect garbage) before reading its memory
        long rss = rssKb(pid);
        for (WebSocket ws : open) ws.abort();
        return rss;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    private static Process startHub(Path dir, int port) throws IOException {
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
                """.formatted(port, dir.resolve("data"), TOKEN));
        // Started the way users start it, launcher included.
        List<String> command =
                List.of(Path.of("hub").toAbsolutePath().toString(), "run", "--config", config.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("hub.log").toFile())
                .start();
    }

    private static Process startAndAwait(Path dir) throws Exception {
        int port = freePort();
        Process hub = startHub(dir, port);
        awaitHealthy(port);
        return hub;
    }

    private static void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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

    private static void awaitPort(int port) throws Exception {
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
