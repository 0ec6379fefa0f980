package org.privateprocessing.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code completion}: the bash (and zsh) completion script of every command and option. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the shell completion script for bash and zsh on stdout.",
      "Load it in the current shell, or keep it where your shell reads completions at start."
    },
    footer = {
      "",
      "Examples:",
      "  source <(java -jar target/private-processing.jar completion)",
      "  java -jar target/private-processing.jar completion > pp-completion.bash",
      "  echo 'source /path/to/pp-completion.bash' >> ~/.bashrc",
      "",
      "The script completes the command name private-processing; define it once, e.g.",
      "  alias private-processing='java -jar /path/to/private-processing.jar'"
    })
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
