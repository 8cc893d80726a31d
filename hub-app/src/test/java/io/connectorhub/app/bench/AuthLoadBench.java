package io.connectorhub.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.accounts.Argon2Cost;
import io.connectorhub.app.bench.Bench.Conn;
import io.connectorhub.app.bench.Bench.Result;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./hub bench auth [clients seconds messages]}: password sign-ins per second against the hub (Argon2id
 * dominates), and what checking a user's access token adds to a WebSocket {@code chat.send} compared with the shared
 * token, both connections answered by the built-in agent in the same run, their requests interleaved.
 */
public final class AuthLoadBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN = "{\"username\":\"bench\",\"password\":\"bench password 0123\"}";

    private AuthLoadBench() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Path dir = Files.createTempDirectory("hub-bench-auth");
        int port = Bench.freePort();
        Process hub = Bench.startHub(dir, port, "auth:\n  registration: open\n");
        List<String[]> rows = new ArrayList<>();
        try {
            Bench.awaitHealthy(port);
            String access = JSON.readTree(
                            post(port, "/api/v1/auth/register", LOGIN).body())
                    .get("access_token")
                    .asText();

            AtomicLong refused = new AtomicLong();
            Result logins = Bench.closedLoop(clients, seconds, 0, 0, (client, id) -> {
                if (post(port, "/api/v1/auth/login", LOGIN).statusCode() != 200) refused.incrementAndGet();
            });
            Argon2Cost cost = Argon2Cost.OWASP;
            rows.add(Bench.row(
                    "password sign-ins, " + clients + " clients closed loop, Argon2id m=" + cost.memoryKib()
                            + " KiB t=" + cost.iterations() + " p=" + cost.parallelism() + ", "
                            + Runtime.getRuntime().availableProcessors() + " hashing permits",
                    "",
                    String.format(
                            "%.1f sign-ins/s, p50 %.1f ms, p99 %.1f ms, %d refused",
                            logins.perSecond(), logins.ms(50), logins.ms(99), refused.get()),
                    null));

            Conn shared = Conn.open(port);
            Conn user = Conn.open(port, access);
            List<Long> sharedMicros = new ArrayList<>();
            List<Long> userMicros = new ArrayList<>();
            for (int i = 1; i <= messages + 500; i++) { // the first 500 of each warm up
                long t0 = System.nanoTime();
                shared.roundTrip(Conn.chatSend(i, "shared", "hello"));
                long t1 = System.nanoTime();
                user.roundTrip(Conn.chatSend(i, "user", "hello"));
                long t2 = System.nanoTime();
                if (i > 500) {
                    sharedMicros.add((t1 - t0) / 1000);
                    userMicros.add((t2 - t1) / 1000);
                }
            }
            Result s = Result.of(sharedMicros, 1);
            Result u = Result.of(userMicros, 1);
            rows.add(Bench.row("chat.send, shared token, " + messages + " sequential", "", latency(s), null));
            rows.add(Bench.row(
                    "chat.send, user's access token, interleaved with the above",
                    "",
                    latency(u)
                            + String.format(
                                    "; added: p50 %+.2f ms, p99 %+.2f ms", u.ms(50) - s.ms(50), u.ms(99) - s.ms(99)),
                    null));
            rows.add(Bench.row("load average (1, 5, 15 min) at the end", "", Bench.loadAverage(), null));
        } finally {
            Bench.stop(hub);
        }
        Bench.printTable(rows);
    }

    private static String latency(Result r) {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms", r.ms(50), r.ms(90), r.ms(99));
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return Bench.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
