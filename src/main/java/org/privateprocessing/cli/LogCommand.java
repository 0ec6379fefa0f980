package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.privateprocessing.node.LogMaintenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code log}: what the operator of a transparency log runs on its store while it is stopped. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = {"Maintains the transparency log's store; run it while the log is stopped."},
    subcommands = {LogCommand.Recover.class, CommandLine.HelpCommand.class})
final class LogCommand extends CommandGroup {
  @Command(
      name = "recover",
      mixinStandardHelpOptions = true,
      description = {
        "Recovers a transparency log that refused to start, never signing a second history.",
        "Lets a log that refused to start continue, only from a checkpoint its key signed that",
        "the entries on disk reproduce, so it never signs a second history. It checks the",
        "checkpoint you give, the one kept beside the signing key and the data directory's; a",
        "fork (two roots for one size) or entries that do not reproduce them are refused with",
        "nothing changed. Entries past that checkpoint stay if a configured publisher signed",
        "them; from the first that is not (and any damaged final record) the file is cut, the",
        "bytes copied aside. What it did goes to <dataDir>/recoveries.log and the log output.",
        "Exit 0 consistent (now or already), 2 refused, 1 unreadable input."
      },
      footer = {
        "",
        "Example:",
        "  java -jar target/private-processing.jar log recover --data-dir run/log \\",
        "      --checkpoint witness-state --dry-run"
      })
  static final class Recover implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--conf",
        paramLabel = "FILE",
        description =
            "the config the log is served with (signing key, publishers, data directory; "
                + "default: conf/all-in-one.json if present, else the built-in demo)")
    Path conf;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "the log's data directory (default: log.dataDir of the config)")
    Path dataDir;

    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description =
            "a checkpoint the log signed that you trust to be the latest: a witness's --state "
                + "file or a client's client-state/log-checkpoint")
    Path checkpoint;

    @Option(names = "--dry-run", description = "report what would be done; change nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      JsonObject config = ConfigFiles.loadQuietly(conf);
      LogMaintenance.Result result = LogMaintenance.recover(config, dataDir, checkpoint, dryRun);
      PrintWriter out =
          result.exit() == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr();
      result.lines().forEach(out::println);
      out.flush();
      return result.exit();
    }
  }
}
