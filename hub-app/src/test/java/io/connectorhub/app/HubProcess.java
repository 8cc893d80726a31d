package io.connectorhub.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A hub in a process of its own, started from the test class path as {@code hub run --config FILE} starts it. */
final class HubProcess {
    private HubProcess() {}

    /** Writes {@code dir/hub.yaml}: {@code port}, the data under {@code dir/data}, and {@code yaml} after them. */
    static Path config(Path dir, int port, String yaml) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(
                file, "server:\n  port: " + port + "\nstore:\n  dataDir: " + dir.resolve("data") + "\n" + yaml);
        return file;
    }

    /** Starts {@code Main run --config config} with {@code env} added, its output (and errors) going to {@code log}. */
    static Process start(Path config, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    static boolean healthy(int port) throws Exception {
        return HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                == 200;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
