package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hub stats}: {@code GET /api/v1/stats}, the message counters per channel since the hub started. */
@Command(
        name = "stats",
        description = "Messages per channel since the hub started: in, duplicate, denied, out, failed.")
final class StatsCommand extends AdminCommand implements Callable<Integer> {
    private static final String[] COUNTERS = {"inbound", "duplicate", "denied", "outbound", "failed", "agent_errors"};

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        JsonNode stats = client().json("GET", "/api/v1/stats", null);
        if (json.on) return print(json, stats);
        PrintWriter out = out();
        out.printf("%-12s", "channel");
        for (String c : COUNTERS) out.printf(" %12s", c);
        out.println();
        for (Map.Entry<String, JsonNode> channel : stats.path("channels").properties()) {
            out.printf("%-12s", channel.getKey());
            for (String c : COUNTERS)
                out.printf(" %12d", channel.getValue().path(c).asLong());
            out.println();
        }
        return 0;
    }
}
