package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.client.LogTrust;
import org.privateprocessing.client.Receipt;
import org.privateprocessing.client.ReceiptCheck;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.core.Defaults;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.WitnessPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code audit receipt FILE}: re-checks a receipt that {@code summarize|suggest --receipt FILE}
 * saved, against the transparency log as it is now ({@link ReceiptCheck}): the receipt's checkpoint
 * and proof, the log's current checkpoint, consistency between the two, and the release's inclusion
 * in today's tree. Prints the verdict as JSON on stdout.
 */
@Command(
    name = "receipt",
    mixinStandardHelpOptions = true,
    description = {
      "Re-checks a saved answer receipt against the transparency log, after the fact.",
      "A receipt (summarize|suggest --receipt FILE) names the enclave that answered, its",
      "measurement, the log index of its release and the signed checkpoint the client proved it",
      "against. This checks the checkpoint's signature with the log key, the release's inclusion",
      "proof, then fetches the log's checkpoint now, verifies its signature, proves it consistent",
      "with the receipt's (no fork, no rewritten history) and proves the release again in it.",
      "Prints the verdict as JSON on stdout."
    },
    footer = {
      "",
      "Exit: 0 verified; 2 refused (the verdict's \"check\" says which: receipt-format,",
      "receipt-no-log, receipt-signature, receipt-proof, receipt-entry, log-signature, log-fork,",
      "log-proof); 1 the log could not be reached or read.",
      "",
      "Example (the demo's log and trust settings are the defaults):",
      "  java -jar target/private-processing.jar summarize \\",
      "      --chat conf/examples/chat.json --receipt receipt.json",
      "  java -jar target/private-processing.jar audit receipt receipt.json"
    })
final class AuditReceiptCommand implements Callable<Integer> {
  static final int EXIT_VERIFIED = 0;
  static final int EXIT_UNREACHABLE = 1;
  static final int EXIT_REFUSED = 2;

  @Parameters(paramLabel = "FILE", description = "the receipt to check (JSON)")
  Path file;

  @Option(
      names = "--log",
      defaultValue = "http://127.0.0.1:" + Defaults.LOG_PORT,
      paramLabel = "URL",
      description = "the transparency log (default: ${DEFAULT-VALUE})")
  String log;

  @Option(
      names = "--log-key",
      paramLabel = "VKEY",
      description =
          "the log's verifier key (or a file holding it); default: the logKeys (and witnesses) "
              + "of --trust")
  String logKey;

  @Option(
      names = "--trust",
      defaultValue = TrustSettings.DEFAULT,
      paramLabel = "PATH",
      description =
          "client trust settings whose logKeys and witnesses to check with (default: "
              + "${DEFAULT-VALUE}); ignored with --log-key")
  Path trust;

  @Override
  public Integer call() throws Exception {
    ReceiptCheck check = check();
    try {
      return LogSession.run(log, client -> audit(file, client, check, System.out));
    } catch (IllegalArgumentException e) {
      throw new ConfigFiles.BadFileException("--log: " + e.getMessage());
    }
  }

  private ReceiptCheck check() throws java.io.IOException {
    if (logKey != null) {
      return new ReceiptCheck(List.of(TlogFiles.logKey(logKey)), WitnessPolicy.none());
    }
    if (!Files.exists(trust)) {
      throw new ConfigFiles.BadFileException(
          "no log key: pass --log-key VKEY (the log's verifier key), or --trust PATH with the "
              + "client's trust settings (no "
              + trust
              + ")");
    }
    LogTrust logTrust = TrustFiles.load(trust).log();
    if (logTrust == null) {
      throw new ConfigFiles.BadFileException(
          "the trust settings in " + trust + " name no logKeys: pass --log-key VKEY");
    }
    return logTrust.receiptCheck();
  }

  /** The audit of one receipt file; prints the verdict to {@code out}; returns the exit code. */
  static int audit(Path file, LogClient client, ReceiptCheck check, PrintStream out) {
    Receipt receipt;
    try {
      receipt = read(file);
    } catch (Refused r) {
      return refused(out, file, r.check, r.getMessage());
    }
    Checkpoint then;
    Checkpoint now;
    try {
      then = check.receiptCheckpoint(receipt);
      String note;
      try {
        note = Await.result(client.checkpoint(), 30_000);
      } catch (Exception e) {
        return unreachable(out, file, client, e);
      }
      now = check.current(note, then.origin());
      ConsistencyProof proof = null;
      if (now.size() > then.size()) {
        proof =
            proof(
                () -> client.consistencyProof(then.size(), now.size()),
                "log-fork",
                "the log gives no consistency proof from size " + then.size() + " to " + now.size(),
                ": refusing rather than risk a forked log");
      }
      check.consistent(then, now, proof);
      InclusionProof inclusion =
          proof(
              () -> client.inclusionProof(receipt.release().leafIndex(), now.size()),
              "log-proof",
              "the log gives no inclusion proof of leaf " + receipt.release().leafIndex(),
              "");
      check.stillIncluded(receipt, now, inclusion);
    } catch (LogTrust.Refusal r) {
      return refused(out, file, r.type(), r.getMessage());
    } catch (Refused r) {
      return refused(out, file, r.check, r.getMessage());
    } catch (Unreachable u) {
      return unreachable(out, file, client, u.cause);
    }
    JsonObject entry;
    try {
      entry = ReceiptCheck.entry(receipt.release());
    } catch (LogTrust.Refusal r) {
      return refused(out, file, r.type(), r.getMessage());
    }
    JsonObject verdict =
        new JsonObject()
            .put("verdict", "verified")
            .put("receipt", file.toString())
            .put("log", client.baseUrl())
            .put(
                "enclave",
                new JsonObject()
                    .put("id", receipt.enclaveId())
                    .put("measurement", receipt.measurement()))
            .put(
                "model",
                new JsonObject()
                    .put("name", receipt.model().name())
                    .put("version", receipt.model().version()))
            .put(
                "release",
                new JsonObject()
                    .put("leafIndex", receipt.release().leafIndex())
                    .put("version", entry.getValue("version"))
                    .put("sourceCommit", entry.getValue("sourceCommit"))
                    .put("buildTimestamp", entry.getValue("buildTimestamp")))
            .put("provenIn", checkpoint(then))
            .put("consistentWith", checkpoint(now));
    out.println(verdict.encodePrettily());
    return EXIT_VERIFIED;
  }

  private static JsonObject checkpoint(Checkpoint cp) {
    return new JsonObject()
        .put("origin", cp.origin())
        .put("size", cp.size())
        .put("rootHash", HexFormat.of().formatHex(cp.rootHash()));
  }

  /** A receipt file that cannot be used, with the check it failed. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final String check;

    Refused(String check, String message) {
      super(message, null, false, false);
      this.check = check;
    }
  }

  private static Receipt read(Path file) throws Refused {
    if (!Files.isRegularFile(file)) {
      throw new Refused(
          "receipt-format",
          "no receipt file at "
              + file
              + ": pass the FILE that summarize|suggest --receipt FILE wrote");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > Receipt.MAX_BYTES) {
        throw new Refused(
            "receipt-format",
            file + " is larger than a receipt (" + Receipt.MAX_BYTES + " bytes at most)");
      }
      bytes = Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new Refused("receipt-format", "cannot read " + file + ": " + e.getMessage());
    }
    try {
      return Receipt.parse(bytes);
    } catch (InvalidRequestException e) {
      throw new Refused(
          "receipt-format",
          "receipt "
              + file
              + ": "
              + e.field()
              + " "
              + e.reason()
              + "; it is not a receipt this client saved, or it was altered");
    }
  }

  /** The log did not answer: nothing is decided. */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;
    final Exception cause;

    Unreachable(Exception cause) {
      super(cause.getMessage(), null, false, false);
      this.cause = cause;
    }
  }

  /**
   * A proof the log must give. A log that does not answer decides nothing ({@link Unreachable}); a
   * log that answers without the proof is refused: the {@code check} failed, and the reason is
   * {@code missing}, what the log answered, then {@code consequence}.
   */
  private static <T> T proof(
      java.util.function.Supplier<Future<T>> asked,
      String check,
      String missing,
      String consequence)
      throws Unreachable, Refused {
    try {
      return Await.result(asked.get(), 30_000);
    } catch (Exception e) {
      if (isUnreachable(e)) {
        throw new Unreachable(e);
      }
      throw new Refused(check, missing + " (" + CliErrors.describe(e) + ")" + consequence);
    }
  }

  private static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LogClient.Failure f) {
        return f.status() == 0 && f.getMessage().contains("unreachable");
      }
      if (c instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static int unreachable(PrintStream out, Path file, LogClient client, Exception e) {
    out.println(
        new JsonObject()
            .put("verdict", "unreadable")
            .put("receipt", file.toString())
            .put("log", client.baseUrl())
            .put(
                "reason",
                CliErrors.describe(e)
                    + "; is the log running, and is --log right? Nothing was decided: "
                    + "run this again once the log answers")
            .encodePrettily());
    return EXIT_UNREACHABLE;
  }

  private static int refused(PrintStream out, Path file, String check, String reason) {
    out.println(
        new JsonObject()
            .put("verdict", "refused")
            .put("receipt", file.toString())
            .put("check", check)
            .put("reason", reason)
            .encodePrettily());
    return EXIT_REFUSED;
  }
}
