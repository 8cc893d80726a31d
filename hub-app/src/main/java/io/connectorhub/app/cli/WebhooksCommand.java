package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code hub webhooks ...}: the outbound webhooks of the running hub, through {@code /api/v1/webhooks}. */
@Command(name = "webhooks", description = "Manage the running hub's outbound webhooks.")
final class WebhooksCommand extends AdminCommand {
    private static final String EVENTS = "message.inbound, message.outbound, channel.status or *";

    @Command(name = "list", description = "The registered webhooks, without their secrets.")
    int list(@Mixin JsonOption json) {
        JsonNode list = client().json("GET", "/api/v1/webhooks", null);
        if (json.on) return print(json, list);
        if (list.path("webhooks").isEmpty()) out().println("no webhooks");
        for (JsonNode w : list.path("webhooks")) line(w);
        return 0;
    }

    @Command(name = "show", description = "One webhook, without its secret.")
    int show(@Parameters(paramLabel = "ID") String id, @Mixin JsonOption json) {
        JsonNode w = client().json("GET", path(id), null);
        if (json.on) return print(json, w);
        line(w);
        if (!w.path("description").asText().isEmpty())
            out().println("  description: " + w.path("description").asText());
        if (w.path("failingSince").isTextual())
            out().println("  failing since " + w.path("failingSince").asText());
        return 0;
    }

    @Command(name = "add", description = "Register a webhook; prints its signing secret once.")
    int add(
            @Parameters(paramLabel = "URL", description = "the receiver's http(s) URL") String url,
            @Option(
                            names = "--events",
                            split = ",",
                            paramLabel = "E1,E2",
                            defaultValue = "*",
                            description = "events to send: " + EVENTS + " (default: *)")
                    List<String> events,
            @Option(names = "--description", paramLabel = "TEXT") String description,
            @Mixin JsonOption json) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events);
        if (description != null) body.put("description", description);
        JsonNode w = client().json("POST", "/api/v1/webhooks", body);
        if (json.on) return print(json, w);
        out().println("Registered webhook " + w.path("id").asText() + " for "
                + w.path("url").asText());
        out().println("Signing secret (shown this once): " + w.path("secret").asText());
        return 0;
    }

    @Command(name = "update", description = "Change a webhook's events or description.")
    int update(
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--events", split = ",", paramLabel = "E1,E2", description = "events to send: " + EVENTS)
                    List<String> events,
            @Option(names = "--description", paramLabel = "TEXT") String description,
            @Mixin JsonOption json) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (events != null) body.put("events", events);
        if (description != null) body.put("description", description);
        if (body.isEmpty())
            throw new ParameterException(
                    spec.commandLine().getSubcommands().get("update"), "give --events or --description (or both)");
        return patched(id, body, json, "Updated");
    }

    @Command(name = "enable", description = "Turn a webhook on again (also after an automatic disable).")
    int enable(@Parameters(paramLabel = "ID") String id, @Mixin JsonOption json) {
        return patched(id, Map.of("enabled", true), json, "Enabled");
    }

    @Command(name = "disable", description = "Stop sending to a webhook; its pending deliveries wait.")
    int disable(@Parameters(paramLabel = "ID") String id, @Mixin JsonOption json) {
        return patched(id, Map.of("enabled", false), json, "Disabled");
    }

    @Command(name = "rm", description = "Delete a webhook and drop its pending deliveries.")
    int rm(@Parameters(paramLabel = "ID") String id) {
        client().call("DELETE", path(id), null);
        out().println("Deleted webhook " + id);
        return 0;
    }

    @Command(name = "test", description = "Queue a webhook.test event for a webhook.")
    int test(@Parameters(paramLabel = "ID") String id, @Mixin JsonOption json) {
        JsonNode r = client().json("POST", path(id) + "/test", Map.of());
        if (json.on) return print(json, r);
        out().println("Queued test delivery " + r.path("deliveryId").asText() + "; see ./hub webhooks deliveries "
                + id);
        return 0;
    }

    @Command(
            name = "rotate-secret",
            description = "Give a webhook a new signing secret; the old one signs too for webhooks.rotationGrace.")
    int rotateSecret(@Parameters(paramLabel = "ID") String id, @Mixin JsonOption json) {
        JsonNode r = client().json("POST", path(id) + "/rotate-secret", Map.of());
        if (json.on) return print(json, r);
        out().println("New signing secret of " + id + " (shown this once): "
                + r.path("secret").asText());
        out().println("The previous secret signs too until "
                + r.path("previousSecretValidUntil").asText());
        return 0;
    }

    @Command(name = "deliveries", description = "A webhook's latest deliveries, newest first, with their attempts.")
    int deliveries(
            @Parameters(paramLabel = "ID") String id,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "20",
                            description = "at most N (1-500, default 20)")
                    int limit,
            @Mixin JsonOption json) {
        JsonNode r = client().json("GET", path(id) + "/deliveries?limit=" + limit, null);
        if (json.on) return print(json, r);
        if (r.path("deliveries").isEmpty()) out().println("no deliveries");
        for (JsonNode d : r.path("deliveries")) {
            out().printf(
                            "%s  %-16s %-9s attempts %d%s%s%s%n",
                            d.path("id").asText(),
                            d.path("event").asText(),
                            d.path("state").asText(),
                            d.path("attempts").asInt(),
                            d.path("lastStatus").isNumber()
                                    ? "  last status " + d.path("lastStatus").asInt()
                                    : "",
                            d.path("lastError").isTextual()
                                    ? "  last error: " + d.path("lastError").asText()
                                    : "",
                            d.path("nextAttemptAt").isTextual()
                                    ? "  next attempt "
                                            + d.path("nextAttemptAt").asText()
                                    : "");
        }
        return 0;
    }

    private int patched(String id, Map<String, Object> body, JsonOption json, String verb) {
        JsonNode w = client().json("PATCH", path(id), body);
        if (json.on) return print(json, w);
        out().print(verb + " webhook ");
        line(w);
        return 0;
    }

    private void line(JsonNode w) {
        out().printf(
                        "%s  %-8s  %s  %s%s%n",
                        w.path("id").asText(),
                        w.path("enabled").asBoolean() ? "enabled" : "disabled",
                        String.join(",", JsonOption.json().convertValue(w.path("events"), String[].class)),
                        w.path("url").asText(),
                        w.path("disabledReason").isTextual()
                                ? "  (" + w.path("disabledReason").asText() + ")"
                                : "");
    }

    private static String path(String id) {
        return "/api/v1/webhooks/" + AdminClient.segment(id);
    }
}
