package io.connectorhub.app.bench;

import io.connectorhub.app.Browser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * The console's first load over loopback in headless Chromium, signed in (through the refresh cookie): bytes
 * transferred (compressed, from the browser's resource timing: the page, its files and the API calls before the chat
 * is ready) and the time from navigation to the chat box accepting input (the console's {@code console:chat}
 * performance mark), with an empty cache (a fresh profile each run) and a warm one (the same page loaded again).
 */
public final class ConsoleLoadBench {
    private static final String PASSWORD = "console bench password";

    /** transferSize sums everything fetched; encodedBodySize and decodedBodySize the bodies before and after gzip. */
    private static final String METRICS = """
            const nav = performance.getEntriesByType('navigation')[0];
            const all = [nav, ...performance.getEntriesByType('resource')];
            const mark = performance.getEntriesByName('console:chat')[0];
            return [all.reduce((a, e) => a + e.transferSize, 0), all.reduce((a, e) => a + e.decodedBodySize, 0),
                    all.length, mark ? mark.startTime : -1];
            """;

    private ConsoleLoadBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String load = Bench.loadAverage();
        Path dir = Files.createTempDirectory("hub-bench-console");
        int port = Bench.freePort();
        Process hub = Bench.startHub(dir, port, "");
        List<double[]> cold = new ArrayList<>();
        List<double[]> warm = new ArrayList<>();
        try {
            Bench.awaitHealthy(port);
            String admin = Files.readString(dir.resolve("data/admin.token")).strip();
            var created = Bench.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users"))
                            .header("Authorization", "Bearer " + admin)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"username\":\"bench\",\"password\":\"" + PASSWORD + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) throw new IllegalStateException("creating the user: " + created.body());
            for (int i = 0; i < runs + 1; i++) {
                try (Browser b = Browser.open(port, 1280)) {
                    b.go("/health");
                    Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                            + "fetch('/api/v1/auth/login', {method: 'POST', headers: {'Content-Type':"
                            + " 'application/json'}, body: JSON.stringify({username: 'bench', password: '"
                            + PASSWORD + "', cookie: true})}).then(r => done(r.status), e => done(String(e)));");
                    if (!Long.valueOf(200).equals(status)) throw new IllegalStateException("sign-in: " + status);
                    b.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                    double[] first = measure(b);
                    double[] again = measure(b);
                    if (i == 0) continue; // the first browser start warms the machine's file cache
                    cold.add(first);
                    warm.add(again);
                }
            }
        } finally {
            Bench.stop(hub);
        }
        System.out.println(
                "- load average before: " + load + "; " + runs + " runs, medians (each run a fresh profile)");
        System.out.println();
        System.out.println(
                "| Load | Goal | Transferred (compressed) | Bodies decoded | Requests | Chat box ready | Met |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        row("cold cache", cold);
        row("warm cache", warm);
    }

    private static double[] measure(Browser b) {
        b.go("/");
        b.await(By.id("message"));
        List<?> m = (List<?>) b.js(METRICS);
        return new double[] {
            ((Number) m.get(0)).doubleValue(),
            ((Number) m.get(1)).doubleValue(),
            ((Number) m.get(2)).doubleValue(),
            ((Number) m.get(3)).doubleValue()
        };
    }

    private static void row(String name, List<double[]> runs) {
        double bytes = median(runs, 0);
        double millis = median(runs, 3);
        boolean met = bytes < 200 * 1024 && millis < 1000;
        System.out.printf(
                "| %s | < 200 KB, < 1 s | %.1f KB | %.1f KB | %.0f | %.0f ms | %s |%n",
                name, bytes / 1024, median(runs, 1) / 1024, median(runs, 2), millis, met ? "yes" : "no");
    }

    private static double median(List<double[]> runs, int column) {
        double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
}
