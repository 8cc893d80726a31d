package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hub status}: {@code GET /api/v1/status} of the running hub. */
@Command(name = "status", description = "The running hub's version, uptime, channels and queues.")
final class StatusCommand extends AdminCommand implements Callable<Integer> {
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        JsonNode s = client().json("GET", "/api/v1/status", null);
        if (json.on) return print(json, s);
        PrintWriter out = out();
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
            if (c.has("holder"))
                out.printf(
                        "  %-12s single connection held by %s%n",
                        "", c.path("holder").isTextual() ? c.path("holder").asText() : "no instance");
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
}
