package io.connectorhub.app.cli;

import io.connectorhub.config.ConfigLoader;
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

    @Command(
            name = "defaults",
            description = "Print every setting with its default and a comment: the hub's, then each installed"
                    + " channel's section under channels, by name.")
    int defaults() {
        spec.commandLine().getOut().print(new ConfigLoader(HubCommand.of(spec).env()).defaultsText());
        return 0;
    }
}
