package io.connectorhub.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectorhub.config.AdminConfig;
import io.connectorhub.config.HubConfig;
import io.connectorhub.core.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hub status} and {@code hub webhooks add|list|rm|test}: a small client of the running hub's admin API. The
 * hub's address is {@code $HUB_URL}, else {@code server.host}/{@code server.port} of the configuration; the token is
 * {@code $HUB_ADMIN_TOKEN}, else the first configured admin token, else {@code <dataDir>/admin.token}.
 */
public final class AdminCli {
    public static final String USAGE = """
                   hub status                  the running hub's channels, queues and uptime
                   hub webhooks list           registered webhooks
                   hub webhooks add URL [--events E1,E2] [--description TEXT]
                                               register a webhook (events: message.inbound, message.outbound,
                                               channel.status or *; default *); prints its secret once
                   hub webhooks rm ID          delete a webhook
                   hub webhooks test ID        send it a webhook.test event
            """;

    private static final ObjectMapper JSON = Json.newMapper();

    private final String base;
    private final String token;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminCli(String base, String token, PrintStream out, PrintStream err) {
        this.base = base;
        this.token = token;
        this.out = out;
        this.err = err;
    }

    /** A client for the hub {@code config} describes, with the address and token from {@code env} first. */
    public static AdminCli of(HubConfig config, Map<String, String> env, PrintStream out, PrintStream err)
            throws IOException {
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
        if (token == null || token.isBlank()) {
            Path file = Path.of(config.store().dataDir()).resolve(AdminSetup.TOKEN_FILE);
            if (!Files.exists(file))
                throw new IOException("no admin token: set HUB_ADMIN_TOKEN, or run the hub once so it writes " + file);
            token = Files.readString(file).strip();
        }
        return new AdminCli(base.replaceAll("/+$", ""), token, out, err);
    }

    public int run(String command, List<String> args) throws InterruptedException {
        try {
            return switch (command) {
                case "status" -> status();
                case "webhooks" -> webhooks(args);
                default -> usage();
            };
        } catch (ConnectException e) {
            err.println("hub: cannot reach the hub at " + base + ": is it running (./hub run)? Set HUB_URL if it"
                    + " listens elsewhere.");
            return 1;
        } catch (IOException e) {
            err.println("hub: request to " + base + " failed: " + e.getMessage());
            return 1;
        }
    }

    private int usage() {
        err.println("usage:\n" + USAGE);
        return 2;
    }

    private int status() throws IOException, InterruptedException {
        JsonNode s = call("GET", "/api/v1/status", null);
        if (s == null) return 1;
        out.printf(
                "connector hub %s, up %d s%n",
                s.path("version").asText(), s.path("uptimeSeconds").asLong());
        out.println("channels:");
        for (JsonNode c : s.path("channels")) {
            out.printf(
                    "  %-12s %-9s%s%n",
                    c.path("name").asText(),
                    c.path("state").asText(),
                    c.path("lastError").isTextual()
                            ? "  last error: " + c.path("lastError").asText()
                            : "");
            JsonNode w = c.path("webhook");
            if (w.isObject())
                out.printf(
                        "  %-12s webhook: %s %s%s%n",
                        "",
                        w.path("mode").asText(),
                        w.path("url").asText(""),
                        w.path("verified").asBoolean() ? " (verified)" : "");
        }
        JsonNode q = s.path("queues");
        out.printf(
                "queues: inbound %d, outbound %d, webhook deliveries %d%n",
                q.path("inbound").asInt(),
                q.path("outbound").asInt(),
                q.path("webhookDeliveries").asInt());
        return 0;
    }

    private int webhooks(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty()) return usage();
        String sub = args.get(0);
        switch (sub) {
            case "list" -> {
                JsonNode list = call("GET", "/api/v1/webhooks", null);
                if (list == null) return 1;
                if (list.path("webhooks").isEmpty()) out.println("no webhooks");
                for (JsonNode w : list.path("webhooks")) {
                    out.printf(
                            "%s  %-8s  %s  %s%s%n",
                            w.path("id").asText(),
                            w.path("enabled").asBoolean() ? "enabled" : "disabled",
                            String.join(",", JSON.convertValue(w.path("events"), String[].class)),
                            w.path("url").asText(),
                            w.path("disabledReason").isTextual()
                                    ? "  (" + w.path("disabledReason").asText() + ")"
                                    : "");
                }
                return 0;
            }
            case "add" -> {
                if (args.size() < 2 || args.size() % 2 != 0) return usage();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("url", args.get(1));
                body.put("events", List.of("*"));
                for (int i = 2; i + 1 < args.size(); i += 2) {
                    switch (args.get(i)) {
                        case "--events" ->
                            body.put("events", Arrays.asList(args.get(i + 1).split(",")));
                        case "--description" -> body.put("description", args.get(i + 1));
                        default -> {
                            return usage();
                        }
                    }
                }
                JsonNode w = call("POST", "/api/v1/webhooks", body);
                if (w == null) return 1;
                out.println("Registered webhook " + w.path("id").asText() + " for "
                        + w.path("url").asText());
                out.println(
                        "Signing secret (shown this once): " + w.path("secret").asText());
                return 0;
            }
            case "rm" -> {
                if (args.size() != 2) return usage();
                if (call("DELETE", "/api/v1/webhooks/" + args.get(1), null) == null) return 1;
                out.println("Deleted webhook " + args.get(1));
                return 0;
            }
            case "test" -> {
                if (args.size() != 2) return usage();
                JsonNode r = call("POST", "/api/v1/webhooks/" + args.get(1) + "/test", Map.of());
                if (r == null) return 1;
                out.println("Queued test delivery " + r.path("deliveryId").asText() + "; see hub webhooks list, or"
                        + " GET /api/v1/webhooks/" + args.get(1) + "/deliveries");
                return 0;
            }
            default -> {
                return usage();
            }
        }
    }

    /** The response's JSON (an empty object for 204), or null after printing the error. */
    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("error").asText(r.body());
            } catch (IOException e) {
                // not JSON: show it as it is
            }
            err.println("hub: " + method + " " + path + " answered " + r.statusCode() + ": " + message);
            return null;
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
