package io.connectorhub.app.cli;

import io.connectorhub.config.ConfigException;
import io.connectorhub.config.ConfigLoader;
import io.connectorhub.config.HubConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
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
        exitCodeList = {"0:done", "1:failed (an error, a failed check, a refusal of the hub)", "2:usage error"})
public final class HubCommand {
    /** Every command, in the order of {@code hub --help}. */
    private static final List<Class<?>> COMMANDS = List.of(
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
            StoreCommand.class,
            CompletionCommand.class,
            LauncherCommands.Test.class,
            LauncherCommands.Bench.class,
            LauncherCommands.Fmt.class,
            LauncherCommands.Build.class,
            HelpCommand.class);

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

    /**
     * This root's command line for {@code args} with only the command they name (picocli building every command's
     * model costs a second of CPU at start-up); with none for {@code --version} alone; with every command for help,
     * completion, or a name that is no command (so that picocli's usage error lists them all).
     */
    public CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(this);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return cli;
        String named = commandName(args);
        boolean known = COMMANDS.stream().anyMatch(command -> name(command).equals(named));
        for (Class<?> command : COMMANDS) if (!known || name(command).equals(named)) cli.addSubcommand(command);
        return cli;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** The command {@code args} name; null for help and completion (which need every command), and for none. */
    private static String commandName(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) i++;
            else if (args[i].startsWith("-")) {
                if (!args[i].startsWith("--config=")) return null;
            } else return args[i].equals("help") || args[i].equals("completion") ? null : args[i];
        }
        return null;
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
