package io.connectorhub.app.cli;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code hub}: the root of the command line. It holds what every command shares: the environment, the working
 * directory (where {@code ./hub.yaml} is looked for) and {@code --config}. Commands reach it with {@link #of}.
 */
@Command(
        name = "hub",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = BuildVersion.class,
        description = "Connector Hub: connects chat platforms to AI agents.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (an error, a failed check, a refusal of the hub)", "2:usage error"},
        subcommands = {
            RunCommand.class,
            ConfigCommand.class,
            DoctorCommand.class,
            StatusCommand.class,
            StatsCommand.class,
            SessionsCommand.class,
            WebhooksCommand.class,
            HooksCommand.class,
            GatewaysCommand.class,
            ChannelsCommand.class,
            UsersCommand.class,
            AuthCommand.class,
            CompletionCommand.class,
            LauncherCommands.Test.class,
            LauncherCommands.Bench.class,
            LauncherCommands.Fmt.class,
            LauncherCommands.Build.class,
            HelpCommand.class
        })
public final class HubCommand {
    private final Map<String, String> env;
    private final Path workDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "the configuration file; default: $HUB_CONFIG, else hub.yaml in this directory, else the"
                    + " built-in defaults")
    Path config;

    /** @param workDir where {@code ./hub.yaml} is looked for */
    public HubCommand(Map<String, String> env, Path workDir) {
        this.env = Map.copyOf(env);
        this.workDir = workDir;
    }

    /** The root of the command {@code spec} belongs to. */
    static HubCommand of(CommandSpec spec) {
        return (HubCommand) spec.root().userObject();
    }

    Map<String, String> env() {
        return env;
    }

    ConfigChoice configChoice() {
        return ConfigChoice.of(config, env, workDir);
    }

    /** The configuration in force; a {@link ConfigException} lists its problems. */
    HubConfig loadConfig() {
        return new ConfigLoader(env).load(configChoice().file());
    }
}
