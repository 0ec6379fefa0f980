package org.privateprocessing.node;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.privateprocessing.core.Profile;
import org.privateprocessing.log.LogOptions;
import org.privateprocessing.log.LogRecovery;

/**
 * Operator commands on a stopped transparency log's store, for the command line (which never
 * reaches the log role directly): the log settings come from the same config {@code serve} reads.
 */
public final class LogMaintenance {
  private LogMaintenance() {}

  /**
   * What a recovery found and did, one sentence a line.
   *
   * @param exit 0 when the store is consistent with the last signed checkpoint (now or already), 2
   *     when it could not be proven so and nothing was changed
   */
  public record Result(int exit, List<String> lines) {}

  /**
   * Runs {@code log recover}: lets the log in {@code conf}'s {@code log} section (or in {@code
   * dataDir}, when given) continue only from a checkpoint its key signed that its entries
   * reproduce.
   *
   * @param checkpoint a file holding a signed checkpoint the operator trusts (a witness's state
   *     file, a client's saved checkpoint), or null
   * @throws IllegalArgumentException for an invalid config section
   * @throws IOException if a file cannot be read or written, or the log is running on the store
   */
  public static Result recover(JsonObject conf, Path dataDir, Path checkpoint, boolean dryRun)
      throws IOException {
    LogOptions options =
        LogOptions.fromJson(conf.getJsonObject("log"), conf.getString("dataDir", "run"));
    if (dataDir != null) {
      options = options.withDataDir(dataDir);
    }
    String supplied = null;
    if (checkpoint != null) {
      if (!Files.isRegularFile(checkpoint)) {
        throw new IOException("--checkpoint: no such file " + checkpoint);
      }
      supplied = Files.readString(checkpoint);
    }
    LogRecovery.Outcome outcome =
        LogRecovery.recover(
            options,
            Profile.of(conf),
            supplied,
            checkpoint == null ? null : checkpoint.toString(),
            dryRun,
            Clock.systemUTC());
    return new Result(outcome.exit(), outcome.lines());
  }
}
