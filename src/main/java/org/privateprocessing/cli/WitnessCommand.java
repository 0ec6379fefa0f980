package org.privateprocessing.cli;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.CosignatureSigner;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code witness}: checks that a log only ever grows (consistency from the last checkpoint it saw)
 * and cosigns each checkpoint it verified (C2SP cosignature/v1). Refuses loudly on a fork or
 * rollback, and never cosigns one.
 */
@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a transparency log's new checkpoint and cosigns it.",
      "Witnesses a transparency log: fetches its checkpoint, verifies the log's signature and,",
      "against the checkpoint saved in --state, the consistency proof; then cosigns and posts the",
      "cosignature and saves the checkpoint. A fork or rollback exits 2 without cosigning."
    },
    subcommands = {WitnessCommand.Keygen.class, CommandLine.HelpCommand.class},
    footer = {
      "",
      "Exit: 0 verified and cosigned, 1 unreachable log or unreadable input, 2 the log forked or rolled back."
    })
final class WitnessCommand implements Callable<Integer> {
  static final int EXIT_FORK = 2;

  @Option(names = "--log", paramLabel = "URL", description = "the transparency log")
  String log;

  @Option(
      names = "--log-key",
      paramLabel = "VKEY",
      description = "the log's verifier key (or a file holding it)")
  String logKey;

  @Option(
      names = "--key",
      paramLabel = "COSIGNER_SKEY_FILE",
      description = "this witness's cosigner key")
  Path key;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "the last checkpoint this witness cosigned")
  Path state;

  @Option(
      names = "--interval",
      defaultValue = "10s",
      paramLabel = "DURATION",
      converter = DurationParser.Converter.class,
      description = "time between rounds (default: ${DEFAULT-VALUE})")
  Duration interval;

  @Option(names = "--once", description = "one round, then exit")
  boolean once;

  /** What one round found. */
  record Round(int exit, String message) {}

  @Override
  public Integer call() throws Exception {
    // Checked here, not by picocli, so that "witness keygen" needs none of them.
    if (log == null || logKey == null || key == null || state == null) {
      throw new IllegalArgumentException(
          "witness needs --log, --log-key, --key and --state (or: witness keygen)");
    }
    NoteVerifier verifier = TlogFiles.logKey(logKey);
    CosignatureSigner signer;
    try {
      signer = CosignatureSigner.parse(TlogFiles.readKey(key, "--key"));
    } catch (TlogException e) {
      throw new java.io.IOException("--key: " + e.getMessage());
    }
    return LogSession.run(
        log,
        client -> {
          while (true) {
            Round r = round(client, verifier, signer, state);
            (r.exit() == 0 ? System.out : System.err).println(r.message());
            if (once || r.exit() == EXIT_FORK) {
              return r.exit();
            }
            Thread.sleep(interval.toMillis());
          }
        });
  }

  /** One witness round; never throws for a log's misbehaviour, only reports it. */
  static Round round(LogClient client, NoteVerifier verifier, CosignatureSigner signer, Path state)
      throws Exception {
    SignedNote note;
    Checkpoint cp;
    try {
      note = Await.result(client.signedCheckpoint(), 30_000);
      note.verify(List.of(verifier));
      cp = Checkpoint.parse(note.text());
    } catch (TlogException e) {
      return new Round(
          EXIT_FORK,
          "REFUSED: the checkpoint of "
              + client.baseUrl()
              + " does not verify with the log key: "
              + e.getMessage());
    } catch (Exception e) {
      return new Round(1, "error: " + CliErrors.describe(e));
    }
    Optional<String> saved = TlogFiles.readState(state);
    if (saved.isPresent()) {
      Checkpoint old;
      try {
        old = Checkpoint.fromSignedNote(saved.get(), List.of(verifier));
      } catch (TlogException e) {
        return new Round(
            1,
            "error: the state file "
                + state
                + " is not a checkpoint of this log: "
                + e.getMessage());
      }
      String fork = consistency(client, old, cp);
      if (fork != null) {
        return new Round(
            EXIT_FORK,
            "REFUSED, NOT COSIGNED: "
                + fork
                + "; keep "
                + state
                + " as evidence and tell the log's users");
      }
    }
    try {
      Await.result(client.cosign(signer.cosign(cp, Instant.now())), 30_000);
    } catch (Exception e) {
      return new Round(1, "error: could not post the cosignature: " + CliErrors.describe(e));
    }
    TlogFiles.writeState(
        state, new SignedNote(note.text(), List.of(note.signatures().get(0))).encode());
    return new Round(0, "cosigned " + cp.origin() + " size " + cp.size());
  }

  /** Null when {@code next} extends {@code old}, else what is wrong. */
  static String consistency(LogClient client, Checkpoint old, Checkpoint next) throws Exception {
    if (next.size() < old.size()) {
      return "rollback: the log shows size " + next.size() + " after it showed " + old.size();
    }
    if (next.size() == old.size()) {
      return MessageDigest.isEqual(old.rootHash(), next.rootHash())
          ? null
          : "fork: two different roots for size " + old.size();
    }
    if (old.size() == 0) {
      return null;
    }
    ConsistencyProof proof;
    try {
      proof = Await.result(client.consistencyProof(old.size(), next.size()), 30_000);
    } catch (Exception e) {
      return "fork: no consistency proof from size "
          + old.size()
          + " to "
          + next.size()
          + " ("
          + CliErrors.describe(e)
          + ")";
    }
    if (proof.size1() != old.size() || proof.size2() != next.size()) {
      return "fork: the consistency proof is for other sizes";
    }
    try {
      proof.verify(old.rootHash(), next.rootHash());
      return null;
    } catch (TlogException e) {
      return "fork: the consistency proof from size "
          + old.size()
          + " to "
          + next.size()
          + " fails: "
          + e.getMessage();
    }
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a witness cosigner key and prints its verifier key.",
        "The key (cosignature/v1) is written to an owner-only file; the log lists the verifier key",
        "in \"witnessKeys\" and clients in their witness policy."
      })
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "N", description = "witness name")
    String name;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "where to write the signing key")
    Path out;

    @Override
    public Integer call() throws Exception {
      CosignatureSigner signer = CosignatureSigner.generate(name, new SecureRandom());
      TlogFiles.writeNewKey(out, signer.encodeSkey(), signer.verifierKey(), "cosigner");
      return 0;
    }
  }
}
