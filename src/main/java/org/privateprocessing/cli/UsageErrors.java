package org.privateprocessing.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line that does not parse: one line naming what is wrong (the unknown option before any
 * required one it displaced, with the nearest known name), one line saying where the options are
 * listed, exit code 2. The whole usage is not printed: it would bury the one line that matters.
 */
final class UsageErrors {
  private UsageErrors() {}

  /** Picocli's {@link CommandLine.IParameterExceptionHandler}. */
  static int handle(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + describe(ex));
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for what it takes.");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  /** What is wrong, in one line. */
  static String describe(ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    List<String> unmatched =
        ex instanceof UnmatchedArgumentException u
            ? u.getUnmatched()
            : cmd.getParseResult() == null ? List.of() : cmd.getParseResult().unmatched();
    // An unknown option comes first: a typo ("--chats") also makes the option it meant missing,
    // and "missing --chat" would send the user looking for the wrong mistake.
    List<String> options = new ArrayList<>();
    for (String arg : unmatched) {
      if (arg.startsWith("-") && arg.length() > 1) {
        options.add(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
      }
    }
    String name = "'" + cmd.getCommandSpec().qualifiedName() + "'";
    if (!unmatched.isEmpty()
        && !unmatched.get(0).startsWith("-")
        && !cmd.getSubcommands().isEmpty()) {
      // What follows a mistyped command are that command's options: the command is the mistake.
      return "unknown command '"
          + unmatched.get(0)
          + "' for "
          + name
          + nearest(cmd, List.of(unmatched.get(0)));
    }
    if (!options.isEmpty()) {
      return (options.size() == 1 ? "unknown option " : "unknown options ")
          + String.join(", ", options.stream().map(o -> "'" + o + "'").toList())
          + " for "
          + name
          + nearest(cmd, options);
    }
    if (!unmatched.isEmpty()) {
      return "unexpected argument '" + unmatched.get(0) + "' for " + name;
    }
    return ex.getMessage();
  }

  /** "; did you mean X?" with picocli's nearest option or command name, or nothing. */
  private static String nearest(CommandLine cmd, List<String> typed) {
    List<String> suggestions = new UnmatchedArgumentException(cmd, typed).getSuggestions();
    if (suggestions.isEmpty()) {
      return "";
    }
    return "; did you mean " + String.join(" or ", suggestions.stream().limit(2).toList()) + "?";
  }
}
