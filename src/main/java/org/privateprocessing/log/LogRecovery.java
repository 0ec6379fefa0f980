package org.privateprocessing.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.privateprocessing.core.Profile;
import org.privateprocessing.tlog.DurableFiles;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteSignature;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.tlog.TreeState;

/**
 * The operator's recovery of a log store the log refused to start from ({@code private-processing
 * log recover}). It lets the log continue only from a checkpoint its key signed that the entries on
 * disk reproduce, so it can never start a second history:
 *
 * <ol>
 *   <li>It gathers the checkpoints this key is known to have signed: the one the operator gives
 *       (from a witness's state file or a client's {@code client-state/log-checkpoint}), the signed
 *       record, and the data directory's {@code checkpoint}. Each must verify with the log's key
 *       and origin (the operator's must; an unreadable stored one is reported and set aside).
 *   <li>Two of them with one size and two roots are a fork: refused. The largest is the last signed
 *       checkpoint; the entries must reproduce it and every other one, or it refuses.
 *   <li>Past it, entries are kept while a configured publisher's stored request authorizes them;
 *       the first that is not, every record after it and any damaged or incomplete final record are
 *       removed, their bytes first copied to {@code entries.log.removed-<time>}. None of them was
 *       ever covered by a checkpoint, so removing them changes nothing anyone was shown.
 *   <li>It stores the last signed checkpoint as both the served checkpoint and the signed record,
 *       and appends what it did to {@code <dataDir>/recoveries.log} and the log output.
 * </ol>
 *
 * <p>Entries a signed checkpoint covers are never removed or rewritten here: if they are lost or
 * altered, the operator puts back a copy (a backup, a mirror) that reproduces the checkpoint. With
 * {@code dryRun} it reports what it would do and changes nothing. The log must not be running (the
 * store's lock is taken).
 */
public final class LogRecovery {
  private static final Logger LOG = Logger.getLogger(LogRecovery.class.getName());

  /** Exit status: the store is consistent with the last signed checkpoint (now, or already). */
  public static final int RECOVERED = 0;

  /** Exit status: the store could not be proven consistent; nothing was changed. */
  public static final int REFUSED = 2;

  /** Where every recovery that changed something is recorded, in the data directory. */
  static final String JOURNAL = "recoveries.log";

  /** What a recovery found and did, one sentence a line, and its exit status. */
  public record Outcome(int exit, List<String> lines) {
    public Outcome {
      lines = List.copyOf(lines);
    }
  }

  private LogRecovery() {}

  /**
   * Recovers the store of {@code options} (see the class comment).
   *
   * @param supplied a signed checkpoint note the operator gives, or null
   * @param suppliedSource where it came from, for the messages
   * @throws IOException if a file cannot be read or written, or the log holds the store
   */
  public static Outcome recover(
      LogOptions options,
      Profile profile,
      String supplied,
      String suppliedSource,
      boolean dryRun,
      Clock clock)
      throws IOException {
    List<String> lines = new ArrayList<>();
    Path dir = options.dataDir();
    Path keyFile = options.signingKeyPath();
    if (!Files.isRegularFile(keyFile)) {
      return refused(
          lines,
          "the log's signing key "
              + keyFile
              + " is missing: recovery proves the store against what that key signed");
    }
    NoteVerifier key;
    try {
      key =
          org.privateprocessing.tlog.NoteSigner.parse(Files.readString(keyFile).trim()).verifier();
    } catch (TlogException e) {
      return refused(lines, keyFile + ": " + e.getMessage());
    }
    Map<String, PublisherKeys.Verifier> publishers;
    try {
      publishers = publishers(options, profile);
    } catch (TlogException e) {
      return refused(lines, "a publisher key does not parse: " + e.getMessage());
    }
    if (!Files.exists(LogFile.entriesPath(dir))) {
      return refused(
          lines,
          LogFile.entriesPath(dir)
              + " is missing: put back a copy (a backup or a mirror) holding the entries the last"
              + " signed checkpoint covers");
    }
    try (LogFile file = LogFile.openUnchanged(dir)) {
      return recover(
          file, options, key, publishers, supplied, suppliedSource, dryRun, clock, lines);
    }
  }

  private static Outcome recover(
      LogFile file,
      LogOptions options,
      NoteVerifier key,
      Map<String, PublisherKeys.Verifier> publishers,
      String supplied,
      String suppliedSource,
      boolean dryRun,
      Clock clock,
      List<String> lines)
      throws IOException {
    Path dir = options.dataDir();
    Path entries = LogFile.entriesPath(dir);
    MerkleTree tree = TreeState.fromLog(file);
    lines.add(
        entries
            + " holds "
            + file.size()
            + " readable entries"
            + file.damage().map(d -> ", then " + d.what()).orElse(""));
    List<SignedHistory.Signed> known = new ArrayList<>();
    if (supplied != null) {
      try {
        known.add(SignedHistory.verify(supplied, suppliedSource, key, options.origin()));
      } catch (IllegalArgumentException e) {
        return refused(lines, e.getMessage());
      }
    }
    SignedHistory.Signed served = stored(LogFile.checkpointPath(dir), key, options, lines);
    SignedHistory.Signed kept = stored(options.signedPath(), key, options, lines);
    for (SignedHistory.Signed s : new SignedHistory.Signed[] {served, kept}) {
      if (s != null && known.stream().noneMatch(s::sameAs)) {
        known.add(s);
      }
    }
    if (known.isEmpty()) {
      return refused(
          lines,
          "no checkpoint signed by this log's key is left to prove the store against; give the"
              + " latest one a witness or client saw with --checkpoint FILE (a witness's --state"
              + " file, a client's client-state/log-checkpoint)");
    }
    for (SignedHistory.Signed a : known) {
      for (SignedHistory.Signed b : known) {
        if (a.size() == b.size() && !a.sameAs(b)) {
          return refused(
              lines,
              "this log's key has signed two roots for size "
                  + a.size()
                  + ": "
                  + a.describe()
                  + " and "
                  + b.describe()
                  + "; that is a fork, keep both as evidence");
        }
      }
    }
    SignedHistory.Signed last =
        known.stream().max(Comparator.comparingLong(SignedHistory.Signed::size)).orElseThrow();
    for (SignedHistory.Signed s : known) {
      if (!SignedHistory.reproduces(tree, s)) {
        return refused(
            lines,
            entries
                + (file.size() < s.size()
                    ? " holds " + file.size() + " entries, fewer than the " + s.size()
                    : " does not reproduce the root of the first " + s.size() + " entries")
                + " signed in "
                + s.describe()
                + "; put back a copy of "
                + entries
                + " that does (a backup or a mirror), then run this again");
      }
      lines.add("the entries reproduce the checkpoint of " + s.describe());
    }
    long keep = last.size();
    while (keep < file.size()) {
      Optional<String> why = SignedHistory.unauthorized(file, keep, publishers);
      if (why.isPresent()) {
        lines.add(
            "record "
                + keep
                + " is past the last signed checkpoint and "
                + why.get()
                + ": it and every record after it go");
        break;
      }
      keep++;
    }
    if (keep > last.size()) {
      lines.add(
          "records "
              + last.size()
              + " to "
              + (keep - 1)
              + " carry a configured publisher's signature: the log signs them when it starts");
    }
    boolean cut = keep < file.size() || file.damage().isPresent();
    boolean writeServed = !last.sameAs(served);
    boolean writeKept = !last.sameAs(kept);
    if (!cut && !writeServed && !writeKept) {
      lines.add(
          "nothing to recover: the store is consistent with the last signed checkpoint, "
              + last.describe());
      return new Outcome(RECOVERED, lines);
    }
    if (dryRun) {
      lines.add(
          "dry run, nothing changed; without --dry-run: "
              + (cut ? "remove everything from record " + keep + " on, " : "")
              + "store the checkpoint of "
              + last.describe()
              + " as "
              + LogFile.checkpointPath(dir)
              + " and "
              + options.signedPath());
      return new Outcome(RECOVERED, lines);
    }
    String stamp = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
    List<String> done = new ArrayList<>();
    if (cut) {
      Path aside = dir.resolve(LogFile.entriesPath(dir).getFileName() + ".removed-" + stamp);
      long bytes = file.truncateTo(keep, aside);
      done.add("removed " + bytes + " bytes from record " + keep + " on (copied to " + aside + ")");
    }
    if (writeServed) {
      file.writeCheckpoint(last.note());
      done.add(
          "stored the checkpoint of size " + last.size() + " as " + LogFile.checkpointPath(dir));
    }
    if (writeKept) {
      DurableFiles.replace(
          options.signedPath(), logSignatureOnly(last, key).getBytes(StandardCharsets.UTF_8));
      done.add("kept it in " + options.signedPath());
    }
    String summary =
        "transparency log recovered by the operator: "
            + dir
            + " continues from the checkpoint of "
            + last.describe()
            + "; "
            + String.join("; ", done);
    journal(dir.resolve(JOURNAL), Instant.now(clock) + " " + summary + "\n");
    LOG.warning(summary);
    lines.addAll(done);
    lines.add("recorded in " + dir.resolve(JOURNAL) + "; the log can start");
    return new Outcome(RECOVERED, lines);
  }

  /** A stored checkpoint, or null when it is missing or unreadable (reported in {@code lines}). */
  private static SignedHistory.Signed stored(
      Path file, NoteVerifier key, LogOptions options, List<String> lines) throws IOException {
    try {
      SignedHistory.Signed s = SignedHistory.read(file, key, options.origin());
      if (s == null) {
        lines.add(file + " is missing");
      }
      return s;
    } catch (IllegalArgumentException e) {
      lines.add("set aside: " + e.getMessage());
      return null;
    }
  }

  private static Map<String, PublisherKeys.Verifier> publishers(LogOptions options, Profile profile)
      throws IOException, TlogException {
    Map<String, PublisherKeys.Verifier> out = new LinkedHashMap<>();
    for (String vkey : options.publisherKeys()) {
      PublisherKeys.Verifier v = PublisherKeys.Verifier.parse(vkey);
      out.put(v.name(), v);
    }
    Path demo = options.dataDir().resolve("publisher.skey");
    if (profile == Profile.DEMO && Files.exists(demo)) {
      PublisherKeys.Verifier v =
          PublisherKeys.Verifier.parse(
              PublisherKeys.Signer.parse(Files.readString(demo).trim()).verifierKey());
      out.putIfAbsent(v.name(), v);
    }
    return out;
  }

  /** The checkpoint with only the log's own signature, as the signed record holds it. */
  static String logSignatureOnly(SignedHistory.Signed s, NoteVerifier key) {
    try {
      SignedNote note = SignedNote.parse(s.note());
      List<NoteSignature> own =
          note.signatures().stream()
              .filter(
                  sig ->
                      sig.keyName().equals(key.name())
                          && java.util.Arrays.equals(sig.keyId(), key.keyId()))
              .toList();
      return new SignedNote(note.text(), own).encode();
    } catch (TlogException e) {
      throw new IllegalStateException("verified a moment ago: " + e.getMessage());
    }
  }

  private static void journal(Path file, String line) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }

  private static Outcome refused(List<String> lines, String why) {
    lines.add("REFUSED: " + why + "; nothing was changed");
    return new Outcome(REFUSED, lines);
  }
}
