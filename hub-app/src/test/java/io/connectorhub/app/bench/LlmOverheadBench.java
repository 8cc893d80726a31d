package io.connectorhub.app.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.connectorhub.app.bench.Bench.Conn;
import io.connectorhub.app.bench.Bench.Result;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the hub adds around an LLM: a WireMock OpenAI-compatible server answers every completion after a fixed delay
 * (a streamed reply of three deltas); N WebSocket sessions talk to the hub (its own process, started as
 * {@code ./hub run} does) in a closed loop with a random think time between messages. Added by the hub, per
 * message: its latency at the client less the time WireMock took for the completion it caused (from the request's
 * arrival to the answer written, timed inside WireMock by {@link LlmClock}), so WireMock's own lateness is not
 * counted; what is left is the hub, the two extra network hops and the client. As the reference, the same clients
 * call WireMock directly and get the same subtraction: what the client and one hop cost without the hub. The
 * defaults (200 sessions, 1 s delay, 100 ms mean think time) keep about 180 completions in flight. Prints a
 * Markdown table. Run: {@code ./hub bench llm} (arguments: sessions seconds delayMs thinkMs).
 */
public final class LlmOverheadBench {
    private static final String SSE = """
            data: {"choices":[{"index":0,"delta":{"content":"Hello"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" from the"}}]}

            data: {"choices":[{"index":0,"delta":{"content":" model."}}]}

            data: [DONE]

            """;

    /** Long enough for the JIT to settle: at 10 s, compiler threads still took a quarter of the CPU. */
    private static final int WARM_UP_SECONDS = 30;

    private LlmOverheadBench() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int delayMs = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int thinkMs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        String load = Bench.loadAverage();

        LlmClock clock = new LlmClock();
        // Synchronous responses (a container thread per call sleeps through the delay), so that a call's completion
        // is seen after its answer is written.
        WireMockServer llm = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .containerThreads(sessions + 50)
                .disableRequestJournal()
                .extensions(clock));
        llm.start();
        llm.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withFixedDelay(delayMs)
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(SSE)));
        List<String[]> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("hub-bench-llm");
        int port = Bench.freePort();
        Process hub = Bench.startHub(dir, port, llmYaml(llm.baseUrl(), "llm"));
        try {
            direct(clock, llm.baseUrl(), sessions, 10, thinkMs, delayMs); // warm-up
            Timed reference = direct(clock, llm.baseUrl(), sessions, seconds, thinkMs, delayMs);
            rows.add(Bench.row(
                    "reference: " + sessions + " clients → WireMock directly", "", reference.summary(delayMs), null));

            Bench.awaitHealthy(port);
            viaHub(clock, port, sessions, WARM_UP_SECONDS, thinkMs, delayMs, "Hello from the model."); // warm-up
            Timed hubbed = viaHub(clock, port, sessions, seconds, thinkMs, delayMs, "Hello from the model.");
            double p50 = hubbed.added.ms(50);
            double p99 = hubbed.added.ms(99);
            rows.add(Bench.row(
                    sessions + " WebSocket sessions → hub → LLM agent → WireMock",
                    "added by the hub: p50 and p99 < 5 ms",
                    hubbed.summary(delayMs)
                            + String.format(
                                    "; difference of percentiles from the reference: p50 %.1f ms, p99 %.1f ms",
                                    hubbed.total.ms(50) - reference.total.ms(50),
                                    hubbed.total.ms(99) - reference.total.ms(99)),
                    p50 < 5 && p99 < 5));
            Bench.stop(hub);

            // The hub's own share: the same sessions at the same pace, answered by the built-in agent (no LLM).
            dir = Files.createTempDirectory("hub-bench-llm");
            port = Bench.freePort();
            hub = Bench.startHub(dir, port, llmYaml(llm.baseUrl(), "builtin"));
            Bench.awaitHealthy(port);
            viaHub(clock, port, sessions, WARM_UP_SECONDS, thinkMs + delayMs, 0, "You said: hello"); // warm-up
            Timed builtin = viaHub(clock, port, sessions, seconds, thinkMs + delayMs, 0, "You said: hello");
            rows.add(Bench.row(
                    "for comparison: the same sessions at the same pace, built-in agent (no LLM)",
                    "",
                    builtin.total.summary(),
                    null));
        } finally {
            Bench.stop(hub);
            llm.stop();
        }
        System.out.println("Fixed LLM delay " + delayMs + " ms; think time random, " + thinkMs + " ms on average,"
                + " between a session's messages; " + seconds + " s per run after " + WARM_UP_SECONDS + " s of"
                + " warm-up. Added by the hub (bold) = per message, the latency less the time WireMock took for that"
                + " completion; the reference row shows the same for the client calling WireMock directly. Load"
                + " average (1, 5, 15 min) at start " + load + ", at the end " + Bench.loadAverage() + ": on a"
                + " machine busy with other work the figures mostly measure the wait for a CPU.");
        System.out.println();
        Bench.printTable(rows);
    }

    private static Timed direct(LlmClock clock, String baseUrl, int clients, int seconds, int thinkMs, int callMs)
            throws Exception {
        Queue<Long> added = new ConcurrentLinkedQueue<>();
        Result total = Bench.closedLoop(clients, seconds, thinkMs, thinkMs + callMs, (client, id) -> {
            String text = text(client, id);
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                                    + "\"}]}"))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> r = Bench.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long latency = System.nanoTime() - t0;
            if (r.statusCode() != 200) throw new IllegalStateException("WireMock answered " + r.statusCode());
            added.add((latency - clock.took(text)) / 1000);
        });
        return new Timed(total, Result.of(List.copyOf(added), total.seconds()));
    }

    /** {@code callMs}: how long a call takes at least (the LLM's delay), to spread the clients' starts. */
    private static Timed viaHub(
            LlmClock clock, int port, int sessions, int seconds, int thinkMs, int callMs, String expected)
            throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < sessions; i++) conns.add(Conn.open(port));
        Queue<Long> added = new ConcurrentLinkedQueue<>();
        try {
            Result total = Bench.closedLoop(sessions, seconds, thinkMs, thinkMs + callMs, (client, id) -> {
                String text = text(client, id);
                long t0 = System.nanoTime();
                String reply = conns.get(client).roundTrip(Conn.chatSend(id, "llm-" + client, text));
                long latency = System.nanoTime() - t0;
                if (!reply.contains(expected)) throw new IllegalStateException("unexpected reply " + reply);
                boolean calledLlm = callMs > 0; // the built-in agent's runs pass no LLM delay
                added.add((latency - (calledLlm ? clock.took(text) : 0)) / 1000);
            });
            return new Timed(total, Result.of(List.copyOf(added), total.seconds()));
        } finally {
            conns.forEach(Conn::close);
        }
    }

    /** A message's text, unique per client and call, by which {@link LlmClock} knows the call it caused. */
    private static String text(int client, long id) {
        return "hello " + client + "-" + id;
    }

    /**
     * The latencies of a run, and per call the latency less the time WireMock took for that same call (from its
     * arrival to its answer written): what the hub and the network added to it.
     */
    private record Timed(Result total, Result added) {
        String summary(int delayMs) {
            return total.summary()
                    + String.format(
                            "; above the delay p50 %.1f ms, p99 %.1f ms",
                            total.ms(50) - delayMs, total.ms(99) - delayMs)
                    + String.format(
                            "; **per message, less WireMock's time: p50 %.1f ms, p99 %.1f ms**",
                            added.ms(50), added.ms(99));
        }
    }

    /**
     * Times each completion inside WireMock: from when the request has arrived to when its answer is written and
     * flushed, keyed by the request's last {@code hello <client>-<id>} text (the user's new message).
     */
    static final class LlmClock implements ServeEventListener {
        private final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Long>> took = new ConcurrentHashMap<>();

        @Override
        public String getName() {
            return "llm-clock";
        }

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            String key = key(event);
            if (key != null) arrived.put(key, System.nanoTime());
        }

        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            long now = System.nanoTime();
            String key = key(event);
            Long t0 = key == null ? null : arrived.remove(key);
            if (t0 != null) future(key).complete(now - t0);
        }

        /** Nanoseconds WireMock spent on the call for {@code text}; waits for WireMock to record it. */
        long took(String text) throws Exception {
            try {
                return future(text).get(10, TimeUnit.SECONDS);
            } finally {
                took.remove(text);
            }
        }

        private CompletableFuture<Long> future(String key) {
            return took.computeIfAbsent(key, k -> new CompletableFuture<>());
        }

        private static String key(ServeEvent event) {
            String body = event.getRequest().getBodyAsString();
            int at = body.lastIndexOf("hello ");
            int end = at < 0 ? -1 : body.indexOf('"', at);
            return end < 0 ? null : body.substring(at, end);
        }
    }

    private static String llmYaml(String llmBaseUrl, String agent) {
        return """
                agentLoop:
                  concurrency: 512
                agents:
                  llm:
                    type: openai
                    baseUrl: %s/v1
                    model: bench-model
                    tools: []
                routing:
                  defaultAgent: %s
                """.formatted(llmBaseUrl, agent);
    }
}
