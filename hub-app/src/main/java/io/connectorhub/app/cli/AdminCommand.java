package io.connectorhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the commands that call the running hub's admin API share: the client, the output, {@code --json}. */
abstract class AdminCommand {
    @Spec
    CommandSpec spec;

    AdminClient client() {
        return AdminClient.of(spec);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code value} as JSON; returns the exit code 0. */
    int print(JsonOption json, JsonNode value) {
        json.print(spec, value);
        return 0;
    }
}
