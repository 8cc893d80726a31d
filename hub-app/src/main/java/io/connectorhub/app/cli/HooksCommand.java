package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hub hooks ...}: the inbound hooks of the running hub, through {@code /api/v1/hooks}. */
@Command(name = "hooks", description = "Manage the running hub's inbound hooks (POST /hooks/{id}).")
final class HooksCommand extends AdminCommand {
    @Command(name = "list", description = "The inbound hooks, without their tokens and secrets.")
    int list(@Mixin JsonOption json) {
        JsonNode list = client().json("GET", "/api/v1/hooks", null);
        if (json.on) return print(json, list);
        if (list.path("hooks").isEmpty()) out().println("no hooks");
        for (JsonNode h : list.path("hooks"))
            out().printf(
                            "%s  %s  created %s%s%n",
                            h.path("id").asText(),
                            h.path("url").asText(),
                            h.path("createdAt").asText(),
                            h.path("description").asText().isEmpty()
                                    ? ""
                                    : "  " + h.path("description").asText());
        return 0;
    }

    @Command(name = "add", description = "Create a hook; prints its token and signing secret once.")
    int add(@Option(names = "--description", paramLabel = "TEXT") String description, @Mixin JsonOption json) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (description != null) body.put("description", description);
        JsonNode h = client().json("POST", "/api/v1/hooks", body);
        if (json.on) return print(json, h);
        out().println("Created hook " + h.path("id").asText() + ": POST "
                + h.path("url").asText());
        out().println("Token (shown this once): " + h.path("token").asText());
        out().println("Signing secret (shown this once): " + h.path("secret").asText());
        return 0;
    }

    @Command(name = "rm", description = "Delete a hook.")
    int rm(@Parameters(paramLabel = "ID") String id) {
        client().call("DELETE", "/api/v1/hooks/" + AdminClient.segment(id), null);
        out().println("Deleted hook " + id);
        return 0;
    }
}
