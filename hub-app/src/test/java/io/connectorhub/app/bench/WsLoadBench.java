package io.connectorhub.app.bench;

import io.connectorhub.app.bench.Bench.Conn;
import io.connectorhub.app.bench.Bench.Result;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Load on the WebSocket channel, against the hub started as its own process (as {@code ./hub run} does) and, as the
 * reference, against a bare Javalin echo endpoint in another process, in the same run:
 * <ul>
 *   <li>closed loop: N clients, one {@code chat.send} round trip at a time each (built-in agent, SQLite and all);
 *   <li>open loop: a fixed rate of {@code chat.send}, latency counted from when each message was due;
 *   <li>idle: many authenticated connections doing nothing, and the hub's resident memory;
 *   <li>start-up: process start to the first 200 from {@code /health}, on a new data directory (a first start) and on
 *       one that a hub used before (a later start).
 * </ul>
 * Prints a Markdown table. Run: {@code ./hub bench ws} (arguments: clients seconds rate idleConnections).
 */
public final class WsLoadBench {
    private WsLoadBench() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int idle = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        String testClasspath = System.getProperty("java.class.path");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String[]> rows = new ArrayList<>();

        // Start-up: the very first start builds the class-data archive; then three first starts (a new data directory:
        // tables created, first admin and tokens generated) and three later starts (the same directory again).
        String loadBefore = Bench.loadAverage();
        Bench.stop(startAndAwait(Files.createTempDirectory("hub-bench")));
        long[] first = new long[3];
        for (int i = 0; i < first.length; i++) first[i] = timeStart(Files.createTempDirectory("hub-bench"));
        Path again = Files.createTempDirectory("hub-bench");
        Bench.stop(startAndAwait(again));
        long[] later = new long[3];
        for (int i = 0; i < later.length; i++) later[i] = timeStart(again);
        rows.add(startRow("first start (new data directory)", first));
        rows.add(startRow("later start (same data directory)", later));
        rows.add(Bench.row("load average (1, 5, 15 min) before the starts", "", loadBefore, null));

        Path dir = Files.createTempDirectory("hub-bench");
        int hubPort = Bench.freePort();
        int echoPort = Bench.freePort();
        Process hub = Bench.startHub(dir, hubPort, "");
        Process echo = new ProcessBuilder(
                        java, "-cp", testClasspath, EchoServer.class.getName(), String.valueOf(echoPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Bench.awaitHealthy(hubPort);
            Bench.awaitPort(echoPort);

            closedLoop(List.of(hubPort), clients, 5); // warm-up
            Result hubClosed = closedLoop(List.of(hubPort), clients, seconds);
            closedLoop(List.of(echoPort), clients, 5);
            Result echoClosed = closedLoop(List.of(echoPort), clients, seconds);
            double share = hubClosed.perSecond() / echoClosed.perSecond();
            rows.add(Bench.row("echo reference, " + clients + " clients closed loop", "", echoClosed.summary(), null));
            rows.add(Bench.row(
                    "hub chat.send, " + clients + " clients closed loop",
                    "≥ 50% of echo",
                    hubClosed.summary() + String.format(" (%.0f%% of echo)", share * 100),
                    share >= 0.5));

            Result open = openLoop(hubPort, clients, rate, seconds);
            rows.add(Bench.row(
                    "hub chat.send, open loop " + rate + " msgs/s", "p99 < 10 ms", open.summary(), open.ms(99) < 10));

            long rss = idleConnections(hubPort, hub.pid(), idle);
            rows.add(Bench.row(
                    idle + " idle authenticated connections",
                    "< 512 MB RSS",
                    rss / 1024 + " MB RSS (whole hub process)",
                    rss < 512 * 1024));
        } finally {
            Bench.stop(hub);
            Bench.stop(echo);
        }
        Bench.printTable(rows);
    }

    /** Milliseconds from {@code ./hub run} to the first 200 from {@code /health}; then stops the hub. */
    private static long timeStart(Path dir) throws Exception {
        long t0 = System.nanoTime();
        Process hub = startAndAwait(dir);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Bench.stop(hub);
        return ms;
    }

    private static String[] startRow(String which, long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        return Bench.row(
                "./hub run to first 200 from /health, " + which + ", median of " + ms.length,
                "< 2000 ms",
                median + " ms (runs: "
                        + Arrays.stream(ms).mapToObj(Long::toString).collect(Collectors.joining(", ")) + ")",
                median < 2000);
    }

    private static Process startAndAwait(Path dir) throws Exception {
        int port = Bench.freePort();
        Process hub = Bench.startHub(dir, port, "");
        Bench.awaitHealthy(port);
        return hub;
    }

    /** Closed loop of {@code chat.send} on {@code clients} connections, client {@code i} on hub {@code i % hubs}. */
    static Result closedLoop(List<Integer> ports, int clients, int seconds) throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < clients; i++) conns.add(Conn.open(ports.get(i % ports.size())));
        try {
            return Bench.closedLoop(
                    clients,
                    seconds,
                    0,
                    0,
                    (client, id) -> conns.get(client).roundTrip(Conn.chatSend(id, "load-" + client, "hello hub")));
        } finally {
            conns.forEach(Conn::close);
        }
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
                        conns.get((int) (id % clients))
                                .sendTimed(id, Conn.chatSend(id, "open-" + (id % clients), "hello hub"), due);
                        due = start + sent.get() * intervalNanos;
                    }
                },
                0,
                200,
                TimeUnit.MICROSECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
        while (System.nanoTime() < deadline) {
            long answered =
                    conns.stream().mapToLong(c -> c.timedLatencies.size()).sum();
            if (sent.get() >= total && answered >= total) break;
            Thread.sleep(50);
        }
        timer.shutdownNow();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (Conn c : conns) all.addAll(c.timedLatencies);
        conns.forEach(Conn::close);
        return Result.of(all, elapsed);
    }

    /** Opens {@code count} authenticated connections, then reads the hub's resident set size (kB). */
    private static long idleConnections(int port, long pid, int count) throws Exception {
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(Bench.HTTP
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + Bench.TOKEN)
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

    private static long rssKb(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }
}
