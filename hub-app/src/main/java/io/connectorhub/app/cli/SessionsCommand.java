package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hub sessions ...}: the conversations the running hub keeps, through {@code /api/v1/sessions}. */
@Command(name = "sessions", description = "List, read and delete the running hub's conversations.")
final class SessionsCommand extends AdminCommand {
    @Command(name = "list", description = "Conversations, most recently active first.")
    int list(
            @Option(names = "--prefix", paramLabel = "P", description = "only keys starting with P, e.g. telegram:")
                    String prefix,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "100",
                            description = "at most N (1-1000, default 100)")
                    int limit,
            @Mixin JsonOption json) {
        String query = "?limit=" + limit
                + (prefix == null ? "" : "&prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8));
        JsonNode list = client().json("GET", "/api/v1/sessions" + query, null);
        if (json.on) return print(json, list);
        if (list.path("sessions").isEmpty()) out().println("no sessions");
        for (JsonNode s : list.path("sessions"))
            out().printf(
                            "%-40s %5d messages  updated %s%n",
                            s.path("sessionKey").asText(),
                            s.path("messageCount").asInt(),
                            s.path("updatedAt").asText());
        return 0;
    }

    @Command(name = "show", description = "The last messages of a conversation, oldest first.")
    int show(
            @Parameters(paramLabel = "KEY", description = "the session key, e.g. websocket:main") String key,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "50",
                            description = "at most N (1-1000, default 50)")
                    int limit,
            @Mixin JsonOption json) {
        JsonNode history = client().json("GET", path(key) + "/messages?limit=" + limit, null);
        if (json.on) return print(json, history);
        for (JsonNode m : history.path("messages"))
            out().printf(
                            "%s %-9s %s%n",
                            m.path("createdAt").asText(),
                            m.path("role").asText(),
                            m.path("content").asText());
        return 0;
    }

    @Command(name = "rm", description = "Delete a conversation and its history.")
    int rm(@Parameters(paramLabel = "KEY") String key) {
        client().call("DELETE", path(key), null);
        out().println("Deleted session " + key);
        return 0;
    }

    private static String path(String key) {
        return "/api/v1/sessions/" + AdminClient.segment(key);
    }
}
