package io.connectorhub.app.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.connectorhub.app.bench.Bench.Conn;
import io.connectorhub.app.bench.Bench.Result;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the hub adds around an LLM: a WireMock OpenAI-compatible server answers every completion after a fixed delay
 * (a streamed reply of three deltas); N WebSocket sessions talk to the hub (its own process, started as
 * {@code ./hub run} does) in a closed loop with a think time between messages. As the reference, the same number of
 * clients call WireMock directly, which shows what the delay costs without the hub (WireMock answers a few ms after
 * its delay, the client). Added by the hub = the hub's latency percentile − the reference's. The defaults (200
 * sessions, 1 s delay, no think time) keep 200 completions in flight at all times. Prints a Markdown table.
 * Run: {@code ./hub bench llm} (arguments: sessions seconds delayMs thinkMs).
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
        int thinkMs = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String load = Bench.loadAverage();

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
        int port = Bench.freePort();
        Process hub = Bench.startHub(dir, port, llmYaml(llm.baseUrl(), "llm"));
        try {
            direct(llm.baseUrl(), sessions, 10, thinkMs, delayMs); // warm-up
            Result reference = direct(llm.baseUrl(), sessions, seconds, thinkMs, delayMs);
            rows.add(Bench.row(
                    "reference: " + sessions + " clients → WireMock directly",
                    "",
                    reference.summary() + aboveDelay(reference, delayMs),
                    null));

            Bench.awaitHealthy(port);
            viaHub(port, sessions, WARM_UP_SECONDS, thinkMs, delayMs, "Hello from the model."); // warm-up
            Result hubbed = viaHub(port, sessions, seconds, thinkMs, delayMs, "Hello from the model.");
            double p50 = hubbed.ms(50) - reference.ms(50);
            double p99 = hubbed.ms(99) - reference.ms(99);
            rows.add(Bench.row(
                    sessions + " WebSocket sessions → hub → LLM agent → WireMock",
                    "added by the hub: p50 and p99 < 5 ms",
                    hubbed.summary()
                            + aboveDelay(hubbed, delayMs)
                            + String.format("; added by the hub p50 %.1f ms, p99 %.1f ms", p50, p99),
                    p50 < 5 && p99 < 5));
            Bench.stop(hub);

            // The hub's own share: the same sessions at the same pace, answered by the built-in agent (no LLM).
            dir = Files.createTempDirectory("hub-bench-llm");
            port = Bench.freePort();
            hub = Bench.startHub(dir, port, llmYaml(llm.baseUrl(), "builtin"));
            Bench.awaitHealthy(port);
            viaHub(port, sessions, WARM_UP_SECONDS, thinkMs + delayMs, 0, "You said: hello"); // warm-up
            Result builtin = viaHub(port, sessions, seconds, thinkMs + delayMs, 0, "You said: hello");
            rows.add(Bench.row(
                    "for comparison: the same sessions at the same pace, built-in agent (no LLM)",
                    "",
                    builtin.summary(),
                    null));
        } finally {
            Bench.stop(hub);
            llm.stop();
        }
        System.out.println("Fixed LLM delay " + delayMs + " ms; think time " + thinkMs + " ms between a session's"
                + " messages; " + seconds + " s per run after " + WARM_UP_SECONDS + " s of warm-up. Added by the hub"
                + " = the hub's percentile − the same percentile calling WireMock directly (WireMock itself answers"
                + " a few ms after its delay). Load average (1, 5, 15 min) at start " + load + ", at the end "
                + Bench.loadAverage() + ": on a machine busy with other work the figures mostly measure the wait"
                + " for a CPU.");
        System.out.println();
        Bench.printTable(rows);
    }

    private static Result direct(String baseUrl, int clients, int seconds, int thinkMs, int callMs) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return Bench.closedLoop(clients, seconds, thinkMs, thinkMs + callMs, (client, id) -> {
            HttpResponse<String> r = Bench.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("WireMock answered " + r.statusCode());
        });
    }

    /** {@code callMs}: how long a call takes at least (the LLM's delay), to spread the clients' starts. */
    private static Result viaHub(int port, int sessions, int seconds, int thinkMs, int callMs, String expected)
            throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < sessions; i++) conns.add(Conn.open(port));
        try {
            return Bench.closedLoop(sessions, seconds, thinkMs, thinkMs + callMs, (client, id) -> {
                String reply = conns.get(client).roundTrip(Conn.chatSend(id, "llm-" + client, "hello"));
                if (!reply.contains(expected)) throw new IllegalStateException("unexpected reply " + reply);
            });
        } finally {
            conns.forEach(Conn::close);
        }
    }

    private static String aboveDelay(Result r, int delayMs) {
        return String.format("; above the delay p50 %.1f ms, p99 %.1f ms", r.ms(50) - delayMs, r.ms(99) - delayMs);
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
