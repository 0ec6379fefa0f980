package org.privateprocessing.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit log}: downloads every entry, recomputes the tree from scratch and checks it against
 * the log's signed checkpoint and against the checkpoint this auditor saw before.
 */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = {
      "Audits a transparency log from scratch.",
      "Downloads all entries, recomputes the Merkle tree,",
      "checks its root against the signed checkpoint and consistency with the checkpoint saved in",
      "--state (then saves the new one), and lists every release and key, one line each."
    },
    footer = {
      "",
      "Exit: 0 everything verifies, 2 something does not (the verdict says what), "
          + "1 unreadable input or unreachable log.",
      "",
      "Example:",
      "  java -jar target/private-processing.jar audit log \\",
      "      --log http://127.0.0.1:8083 --log-key \"$(jq -r '.logKeys[0]' run/trust/log.json)\" \\",
      "      --state run/audit-checkpoint"
    })
final class AuditLogCommand implements Callable<Integer> {
  static final int EXIT_MISMATCH = 2;

  @Option(
      names = "--log",
      required = true,
      paramLabel = "URL",
      description = "the transparency log")
  String log;

  @Option(
      names = "--log-key",
      required = true,
      paramLabel = "VKEY",
      description = "the log's verifier key (or a file holding it)")
  String logKey;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description = "checkpoint seen by an earlier audit (read, then replaced)")
  Path state;

  @Override
  public Integer call() throws Exception {
    NoteVerifier verifier = TlogFiles.logKey(logKey);
    return LogSession.run(log, client -> audit(client, verifier, state, System.out));
  }

  /** The audit; prints entries and the verdict to {@code out}; returns the exit code. */
  static int audit(LogClient client, NoteVerifier verifier, Path state, PrintStream out)
      throws Exception {
    SignedNote note;
    try {
      note = Await.result(client.signedCheckpoint(), 30_000);
    } catch (Exception e) {
      out.println("UNREADABLE: " + CliErrors.describe(e));
      return 1;
    }
    Checkpoint cp;
    try {
      note.verify(List.of(verifier));
      cp = Checkpoint.parse(note.text());
    } catch (TlogException e) {
      return fail(
          out,
          "the checkpoint's signature does not verify with the log key (" + e.getMessage() + ")");
    }
    MerkleTree tree = new MerkleTree();
    List<String> lines = new ArrayList<>();
    for (long start = 0; start < cp.size(); start += LogClient.MAX_PAGE) {
      long end = Math.min(cp.size(), start + LogClient.MAX_PAGE);
      List<LogEntry> page;
      try {
        page = Await.result(client.entries(start, end), 60_000);
      } catch (Exception e) {
        LogClient.Failure f = cause(e);
        if (f != null && f.status() == 0 && f.getMessage().contains("unreachable")) {
          out.println("UNREADABLE: " + f.getMessage());
          return 1;
        }
        return fail(
            out,
            "entries "
                + start
                + ".."
                + end
                + " could not be read as log entries ("
                + CliErrors.describe(e)
                + ")");
      }
      for (LogEntry e : page) {
        lines.add(describe(tree.size(), e));
        tree.append(e.leafHash());
      }
    }
    lines.forEach(out::println);
    if (!MessageDigest.isEqual(tree.root(), cp.rootHash())) {
      return fail(
          out,
          "the "
              + cp.size()
              + " entries served do not hash to the signed root of size "
              + cp.size()
              + " (the log serves other entries than it signed)");
    }
    if (state != null) {
      Optional<String> saved = TlogFiles.readState(state);
      if (saved.isPresent()) {
        Checkpoint old;
        try {
          old = Checkpoint.fromSignedNote(saved.get(), List.of(verifier));
        } catch (TlogException e) {
          out.println(
              "UNREADABLE: " + state + " is not a checkpoint of this log: " + e.getMessage());
          return 1;
        }
        if (old.size() > cp.size()) {
          return fail(
              out, "rollback: the log is at size " + cp.size() + " but was at " + old.size());
        }
        if (old.size() > 0 && !MessageDigest.isEqual(tree.root(old.size()), old.rootHash())) {
          return fail(
              out,
              "fork: the entries do not reproduce the root saved in "
                  + state
                  + " for size "
                  + old.size());
        }
        String proof = WitnessCommand.consistency(client, old, cp);
        if (proof != null) {
          return fail(out, proof);
        }
      }
      TlogFiles.writeState(
          state, new SignedNote(note.text(), List.of(note.signatures().get(0))).encode());
    }
    out.println(
        "VERIFIED: "
            + cp.origin()
            + " size "
            + cp.size()
            + ", root "
            + HexFormat.of().formatHex(cp.rootHash())
            + " recomputed from all entries"
            + (state == null ? "" : ", consistent with " + state));
    return 0;
  }

  private static LogClient.Failure cause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LogClient.Failure f) {
        return f;
      }
    }
    return null;
  }

  private static int fail(PrintStream out, String why) {
    out.println("FAILED: " + why);
    return EXIT_MISMATCH;
  }

  static String describe(long index, LogEntry e) {
    if (e instanceof LogEntry.EnclaveRelease r) {
      return index
          + " "
          + r.type()
          + " measurement="
          + r.measurement()
          + " version="
          + r.version()
          + " commit="
          + r.sourceCommit()
          + " built="
          + r.buildTimestamp();
    } else if (e instanceof LogEntry.GatewayKeyConfig g) {
      return index
          + " "
          + g.type()
          + " origin="
          + g.origin()
          + " keyConfigSha256="
          + HexFormat.of().formatHex(sha256(g.keyConfig()))
          + " created="
          + g.createdAt();
    } else {
      LogEntry.IssuerKey k = (LogEntry.IssuerKey) e;
      return index
          + " "
          + k.type()
          + " issuer="
          + k.issuer()
          + " tokenType="
          + k.tokenType()
          + " tokenKeyId="
          + HexFormat.of().formatHex(sha256(k.tokenKey()))
          + " notBefore="
          + k.notBefore();
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
