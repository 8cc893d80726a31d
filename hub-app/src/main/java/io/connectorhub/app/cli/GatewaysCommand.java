package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorhub.core.GeneratedSecret;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hub gateways ...}: the remote agent gateways of the running hub, through {@code /api/v1/gateways}. */
@Command(name = "gateways", description = "Manage the running hub's remote agent gateways.")
final class GatewaysCommand extends AdminCommand {
    @Command(name = "list", description = "Registered gateways with their state and last heartbeat.")
    int list(@Mixin JsonOption json) {
        JsonNode list = client().json("GET", "/api/v1/gateways", null);
        if (json.on) return print(json, list);
        if (list.path("gateways").isEmpty()) out().println("no gateways");
        for (JsonNode g : list.path("gateways")) line(g);
        return 0;
    }

    @Command(name = "show", description = "One gateway.")
    int show(@Parameters(paramLabel = "NAME") String name, @Mixin JsonOption json) {
        JsonNode g = client().json("GET", path(name), null);
        if (json.on) return print(json, g);
        line(g);
        return 0;
    }

    @Command(
            name = "add",
            description = "Register a gateway. Without --token a random token is generated and printed once: give it"
                    + " to the gateway.")
    int add(
            @Parameters(paramLabel = "NAME", description = "1-64 characters of A-Za-z0-9_.-") String name,
            @Parameters(paramLabel = "URL", description = "the gateway's base URL; tasks go to URL/tasks") String url,
            @Option(
                            names = "--weight",
                            paramLabel = "N",
                            defaultValue = "1",
                            description = "share of the tasks (1-1000, default 1)")
                    int weight,
            @Option(
                            names = "--token",
                            paramLabel = "TOKEN",
                            description = "the gateway's existing token (16+ characters); visible to other users"
                                    + " of this machine while the command runs")
                    String token,
            @Mixin JsonOption json) {
        String secret = token != null ? token : GeneratedSecret.random(32);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("url", url);
        body.put("token", secret);
        body.put("weight", weight);
        JsonNode g = client().json("POST", "/api/v1/gateways", body);
        if (json.on) return print(json, g);
        out().print("Registered gateway ");
        line(g);
        if (token == null) out().println("Gateway token (shown this once): " + secret);
        return 0;
    }

    @Command(name = "rm", description = "Remove a gateway; it gets no more tasks.")
    int rm(@Parameters(paramLabel = "NAME") String name) {
        client().call("DELETE", path(name), null);
        out().println("Deleted gateway " + name);
        return 0;
    }

    private void line(JsonNode g) {
        out().printf(
                        "%s  %s  weight %d  %s  last heartbeat %s%n",
                        g.path("name").asText(),
                        g.path("url").asText(),
                        g.path("weight").asInt(),
                        g.path("status").asText(),
                        g.path("last_heartbeat").asText("never"));
    }

    private static String path(String name) {
        return "/api/v1/gateways/" + AdminClient.segment(name);
    }
}
