package io.connectorhub.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.ChannelFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hub with two admin tokens (read-write and read-only) and a small HTTP client for its admin API. */
final class AdminHarness implements AutoCloseable {
    static final String WRITE = "write-token-0123456789abcdef";
    static final String READ = "read-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    final Hub hub;
    final HubConfig config;
    private final HttpClient http = HttpClient.newHttpClient();

    private AdminHarness(Hub hub, HubConfig config) {
        this.hub = hub;
        this.config = config;
    }

    static HubConfig config(Path dir, String extra) throws Exception {
        return config(dir, extra, 1000, List.of());
    }

    /** @param storeUrl {@code store.url} (given as HUB_STORE_URL), or null for SQLite in {@code dir} */
    static HubConfig config(Path dir, String extra, String storeUrl) throws Exception {
        return config(dir, extra, 1000, List.of(), storeUrl);
    }

    /** @param channels channel modules installed besides those on the class path */
    static HubConfig config(Path dir, String extra, List<ChannelFactory<?>> channels) throws Exception {
        return config(dir, extra, 1000, channels);
    }

    /** @param authFailuresPerMinute {@code admin.authFailuresPerMinute}: failed logins per client IP before 429 */
    static HubConfig config(Path dir, String extra, int authFailuresPerMinute) throws Exception {
        return config(dir, extra, authFailuresPerMinute, List.of());
    }

    private static HubConfig config(Path dir, String extra, int authFailuresPerMinute, List<ChannelFactory<?>> channels)
            throws Exception {
        return config(dir, extra, authFailuresPerMinute, channels, null);
    }

    private static HubConfig config(
            Path dir, String extra, int authFailuresPerMinute, List<ChannelFactory<?>> channels, String storeUrl)
            throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, """
                server:
                  port: 0
                  maxRequestBytes: 65536
                store:
                  dataDir: %s
                admin:
                  tokens:
                    - {token: %s, scopes: [admin.read, admin.write]}
                    - {token: %s, scopes: [admin.read]}
                  authFailuresPerMinute: %d
                %s
                """.formatted(dir.resolve("data"), WRITE, READ, authFailuresPerMinute, extra));
        List<ChannelFactory<?>> installed = new ArrayList<>(ConfigLoader.installedChannels());
        installed.addAll(channels);
        return new ConfigLoader(storeUrl == null ? Map.of() : Map.of("HUB_STORE_URL", storeUrl), installed).load(file);
    }

    static AdminHarness start(HubConfig config, Clock clock) throws Exception {
        return new AdminHarness(Hub.start(config, clock), config);
    }

    static AdminHarness start(Path dir, String extra, Clock clock) throws Exception {
        return start(config(dir, extra), clock);
    }

    Reply call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        String raw = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        b.method(method, raw == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(raw));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().map());
    }

    JsonNode ok(String method, String path, Object body) throws Exception {
        Reply r = call(method, path, WRITE, body);
        if (r.status() / 100 != 2)
            throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
        return r.body().isBlank() ? JSON.createObjectNode() : r.json();
    }

    /** Adds the user {@code name} with {@code password} (through the admin token) and returns their access token. */
    String newUserToken(String name, String password) throws Exception {
        ok("POST", "/api/v1/users", Map.of("username", name, "password", password));
        Reply login = call("POST", "/api/v1/auth/login", null, Map.of("username", name, "password", password));
        if (login.status() != 200) throw new AssertionError("sign-in of " + name + " answered " + login.body());
        return login.json().get("access_token").asText();
    }

    @Override
    public void close() {
        hub.close();
    }
}
