package org.privateprocessing.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code private-processing.jar}: one jar, every role and every client command. */
@Command(
    name = "private-processing",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Private AI processing for a messaging app: requests sealed twice with Oblivious HTTP",
      "(RFC 9458), carried by a relay that hides the client's IP, through a gateway that cannot",
      "read them, to an enclave that answers and keeps nothing.",
      "",
      "Start everything on loopback:   serve",
      "See it work end to end:         demo",
      "Ask through a running relay:    summarize --chat conf/examples/chat.json",
      "                                suggest --draft \"i dont know teh answer\" --tone proofread",
      "Fetch an anonymous token:       token --account demo",
      "Audit the transparency log:     audit log --log http://127.0.0.1:8083 --log-key <vkey>"
    },
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      SummarizeCommand.class,
      SuggestCommand.class,
      BenchCommand.class,
      TokenCommand.class,
      ChallengeCommand.class,
      EvalSummariesCommand.class,
      PacedModelCommand.class,
      AttestCommand.class,
      AuditCommand.class,
      ReleaseCommand.class,
      WitnessCommand.class,
      LogCommand.class,
      LoadtestCommand.class,
      ClusterCaCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main extends CommandGroup {
  public static void main(String[] args) {
    try {
      Logging.configure();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(CommandLine.ExitCode.USAGE);
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(HelpLayout::terminalWidth);
  }

  /** The command line with its help laid out at {@code helpWidth} columns. */
  static CommandLine commandLine(java.util.function.IntSupplier helpWidth) {
    CommandLine cli = new CommandLine(new Main());
    HelpLayout.install(cli, helpWidth);
    everyVersion(cli);
    cli.setParameterExceptionHandler(UsageErrors::handle);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // One clear line, never a stack trace: users act on the message, not on our internals.
          commandLine.getErr().println("error: " + CliErrors.describe(e));
          return e instanceof ConfigFiles.BadFileException
              ? CommandLine.ExitCode.USAGE
              : CliErrors.EXIT_FAILED;
        });
    return cli;
  }

  /** Every command's {@code --version} prints the jar's version (picocli's default is nothing). */
  private static void everyVersion(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(new Version());
      }
      everyVersion(sub);
    }
  }

  /** Reports the jar's version and the commit it was built from, as its manifest says. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "private-processing " + org.privateprocessing.core.BuildInfo.running().describe()
      };
    }
  }
}
