package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.app.admin.AdminSetup;
import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.HubException;
import io.connectorhub.core.internal.store.PostgresUrl;
import io.connectorhub.core.internal.store.StoredSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A small client of the running hub's admin API. The hub's address is {@code $HUB_URL}, else
 * {@code server.host}/{@code server.port} of the configuration; the token is {@code $HUB_ADMIN_TOKEN}, else the first
 * configured admin token, else {@code <dataDir>/admin.token}. Every failure is a {@link HubException} whose message is
 * the one line to show.
 */
final class AdminClient {
    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A client for the hub of the configuration in force for {@code spec}'s command line. */
    static AdminClient of(CommandSpec spec) {
        HubCommand root = HubCommand.of(spec);
        return of(root.loadConfig(), root.env());
    }

    static AdminClient of(HubConfig config, Map<String, String> env) {
        String base = env.get("HUB_URL");
        if (base == null || base.isBlank())
            base = config.server().localUrl(config.server().port());
        String token = env.get("HUB_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            token = config.admin().tokens().stream()
                    .map(AdminConfig.TokenConfig::token)
                    .findFirst()
                    .orElse(null);
        }
        if ((token == null || token.isBlank()) && config.store().postgres()) {
            String setting = "store.url";
            token = StoredSecrets.read(PostgresUrl.parse(config.store().url().strip(), setting), AdminSetup.TOKEN_FILE)
                    .orElseThrow(() -> new HubException("no admin token: set HUB_ADMIN_TOKEN, or run the hub once so"
                            + " it keeps one in the database that " + setting + " names"));
        }
        if (token == null || token.isBlank()) {
            Path file = Path.of(config.store().dataDir()).resolve(AdminSetup.TOKEN_FILE);
            try {
                token = Files.readString(file).strip();
            } catch (IOException e) {
                throw new HubException("no admin token: set HUB_ADMIN_TOKEN, or run the hub once so it writes " + file);
            }
        }
        return new AdminClient(base.replaceAll("/+$", ""), token);
    }

    /** {@code value} as one path segment ({@code websocket:main} stays readable, {@code /} and spaces are escaped). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%3A", ":");
    }

    /** The parsed answer; an empty object for 204. */
    JsonNode json(String method, String path, Object body) {
        String raw = call(method, path, body);
        try {
            return raw.isBlank()
                    ? JsonOption.json().createObjectNode()
                    : JsonOption.json().readTree(raw);
        } catch (IOException e) {
            throw new HubException(method + " " + path + " answered something that is not JSON: " + e.getMessage());
        }
    }

    /** The answer's body as it came ({@code ""} for 204); a non-2xx answer fails with the API's {@code error}. */
    String call(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofString(
                                        JsonOption.json().writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2)
                throw new HubException(
                        method + " " + path + " answered " + r.statusCode() + ": " + errorText(r.body()));
            return r.body();
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new HubException("no hub answers at " + base + " (is it running? ./hub run)");
        } catch (IOException e) {
            throw new HubException("the request to " + base + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted");
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode error = JsonOption.json().readTree(body).path("error");
            return error.isTextual() ? error.asText() : body;
        } catch (IOException | UncheckedIOException e) {
            return body;
        }
    }
}
