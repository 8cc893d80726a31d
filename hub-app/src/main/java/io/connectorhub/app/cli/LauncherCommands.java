package io.connectorhub.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The commands the {@code ./hub} launcher script runs itself (they need Maven, not the built hub). They are listed
 * here so that {@code hub --help} and the completion script show every command; run directly they say where to go.
 */
final class LauncherCommands {
    private LauncherCommands() {}

    abstract static class InLauncher implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine()
                    .getErr()
                    .println("hub: " + spec.name() + " is run by the launcher script: ./hub " + spec.name() + " (./hub "
                            + spec.name() + " --help)");
            return 2;
        }
    }

    @Command(name = "test", description = "Run every test (mvn verify), as CI does. (launcher script)")
    static final class Test extends InLauncher {}

    @Command(name = "bench", description = "Run the benchmarks, write bench/results-<date>.md. (launcher script)")
    static final class Bench extends InLauncher {}

    @Command(name = "fmt", description = "Format the Java sources. (launcher script)")
    static final class Fmt extends InLauncher {}

    @Command(name = "build", description = "Build without running tests. (launcher script)")
    static final class Build extends InLauncher {}
}
