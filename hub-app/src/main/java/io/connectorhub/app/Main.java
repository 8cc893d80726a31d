package io.connectorhub.app;

import io.connectorhub.app.cli.HubCommand;
import io.connectorhub.core.HubException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** The {@code hub} command line; see {@link HubCommand} for the commands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine cli = commandLine(System.getenv(), Path.of(""), args);
        int exit = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exit);
    }

    /**
     * The command line with the environment {@code env} and {@code workDir} as the directory of {@code ./hub.yaml}.
     * Exit codes: 0 done, 1 failed, 2 usage error. A failure prints one line, {@code hub: <what went wrong>}; only an
     * unexpected exception (a bug) adds its stack trace. It holds only the command {@code args} name (see
     * {@link HubCommand#commandLine}), so it runs {@code args} and nothing else.
     */
    public static CommandLine commandLine(Map<String, String> env, Path workDir, String... args) {
        CommandLine cli = new HubCommand(env, workDir).commandLine(args);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            command.getErr().println("hub: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (!(e instanceof HubException || e instanceof IOException || e instanceof UncheckedIOException))
                e.printStackTrace(command.getErr());
            command.getErr().flush();
            return 1;
        });
        return cli;
    }
}
