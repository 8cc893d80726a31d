package io.connectorhub.app.cli;

import io.connectorhub.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hub config check [FILE]} and {@code hub config defaults}. */
@Command(name = "config", description = "Check a configuration, or print the defaults.")
final class ConfigCommand {
    @Spec
    CommandSpec spec;

    @Command(
            name = "check",
            description = "Report every problem of a configuration, each with its key path. Checks FILE, else the"
                    + " configuration in force (--config, $HUB_CONFIG, ./hub.yaml, the built-in defaults) and says"
                    + " which. Exit 1 when there are problems.")
    int check(
            @Parameters(arity = "0..1", paramLabel = "FILE", description = "the file to check") Path file,
            @Mixin JsonOption json) {
        HubCommand root = HubCommand.of(spec);
        ConfigChoice choice = file != null ? new ConfigChoice(file, "argument") : root.configChoice();
        ConfigReport report = ConfigReport.read(choice, root.env());
        if (json.on) json.print(spec, report.json());
        else report.print(spec.commandLine().getOut());
        return report.ok() ? 0 : 1;
    }

    @Command(name = "defaults", description = "Print every setting with its default and a comment.")
    int defaults() throws IOException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return 0;
    }
}
