package io.connectorhub.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hub completion bash}: prints the completion script of every command and option. */
@Command(
        name = "completion",
        description = "Print a shell completion script: source <(./hub completion bash). It works in zsh too, after"
                + " autoload -U bashcompinit && bashcompinit.")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "the shell: ${COMPLETION-CANDIDATES}")
    Shell shell;

    enum Shell {
        bash
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("hub", spec.root().commandLine()));
        return 0;
    }
}
