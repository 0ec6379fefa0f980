package org.privateprocessing.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;

/**
 * What this log's key has signed, and whether the store on disk reproduces it: the rules that keep
 * the log from ever signing two histories. Everything here only reads; a refusal leaves every file
 * as it was.
 *
 * <p>Two files remember the latest signed checkpoint. {@code <dataDir>/checkpoint} is the one the
 * log serves, with the witnesses' cosignatures. The <em>signed record</em> (by default beside the
 * signing key, {@code <key file>.signed}) holds the same checkpoint with the log's signature only,
 * and is not part of the data directory, so restoring an older backup of the data directory does
 * not roll it back. A new checkpoint goes to the first, then the second, and is served only after
 * both are forced to disk; a crash between the two leaves the served file one step ahead, which a
 * start accepts (it is signed by this key and the entries reproduce it).
 */
final class SignedHistory {
  private SignedHistory() {}

  /** A checkpoint verified with this log's key and origin, and where it was read. */
  record Signed(Checkpoint checkpoint, String note, String source) {
    long size() {
      return checkpoint.size();
    }

    boolean sameAs(Signed other) {
      return other != null && checkpoint.equals(other.checkpoint);
    }

    String describe() {
      return "size "
          + size()
          + " (root "
          + HexFormat.of().formatHex(checkpoint.rootHash())
          + ", "
          + source
          + ")";
    }
  }

  /** The store is new: no checkpoint, no signed record, no entry (not even a partial one). */
  static boolean isFresh(Path dir, Path signedFile) throws IOException {
    Path entries = LogFile.entriesPath(dir);
    return !Files.exists(LogFile.checkpointPath(dir))
        && !Files.exists(signedFile)
        && (!Files.exists(entries) || Files.size(entries) == 0);
  }

  /** The command an operator runs after finding out what happened to the store. */
  static String recoverCommand(Path dir) {
    return "private-processing log recover --data-dir "
        + dir
        + " (with the --conf the log is served with)";
  }

  /**
   * The checkpoint in {@code file}, verified; null when the file does not exist.
   *
   * @throws IllegalArgumentException naming the file and why it is not this log's checkpoint
   */
  static Signed read(Path file, NoteVerifier key, String origin) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    return verify(Files.readString(file, StandardCharsets.UTF_8), file.toString(), key, origin);
  }

  /**
   * Verifies that {@code note} is a checkpoint signed by {@code key} for {@code origin}.
   *
   * @throws IllegalArgumentException naming {@code source} and what is wrong
   */
  static Signed verify(String note, String source, NoteVerifier key, String origin) {
    try {
      SignedNote parsed = SignedNote.parse(note);
      parsed.verify(List.of(key));
      Checkpoint cp = Checkpoint.parse(parsed.text());
      if (!cp.origin().equals(origin)) {
        throw new IllegalArgumentException(
            source
                + " is a checkpoint of origin '"
                + cp.origin()
                + "', this log is '"
                + origin
                + "'");
      }
      return new Signed(cp, note, source);
    } catch (TlogException e) {
      throw new IllegalArgumentException(
          source + " is not this log's valid checkpoint (" + e.getMessage() + ")");
    }
  }

  /**
   * Whether the first {@code s.size()} entries of {@code tree} hash to the root {@code s} signs.
   */
  static boolean reproduces(MerkleTree tree, Signed s) {
    try {
      return s.size() <= tree.size()
          && MessageDigest.isEqual(tree.root(s.size()), s.checkpoint().rootHash());
    } catch (TlogException e) {
      return false;
    }
  }

  /**
   * Why entry {@code index} may not be signed, or empty when a configured publisher's request
   * stored with it authorizes it.
   */
  static Optional<String> unauthorized(
      LogFile file, long index, Map<String, PublisherKeys.Verifier> publishers) {
    Optional<byte[]> stored = file.authorization(index);
    if (stored.isEmpty()) {
      return Optional.of("it carries no publisher signature");
    }
    SignedRequest request;
    try {
      request = SignedRequest.parse(stored.get());
    } catch (IllegalArgumentException e) {
      return Optional.of("its publisher signature record is malformed (" + e.getMessage() + ")");
    }
    return request.problem(publishers, file.entry(index));
  }

  /**
   * What a start may rely on: the served checkpoint and the signed record (null for a store from
   * before signed records; the start writes one).
   */
  record Verified(Signed served, Signed kept) {}

  /**
   * The checks a start makes before it writes anything: the served checkpoint exists, is this
   * log's, is not older than the signed record, the entries reproduce both, and every entry past it
   * was signed by a configured publisher. Damage the start may repair itself is only an incomplete
   * final record past the checkpoint (a crash during an append it never signed).
   *
   * @throws IllegalStateException saying what is wrong, which files, which sizes and what to run;
   *     nothing has been changed
   */
  static Verified checkAtStart(
      LogFile file,
      MerkleTree tree,
      NoteVerifier key,
      String origin,
      Map<String, PublisherKeys.Verifier> publishers,
      Path signedFile)
      throws IOException {
    Path dir = file.directory();
    Path cpFile = LogFile.checkpointPath(dir);
    Path entries = LogFile.entriesPath(dir);
    String nothing = "; nothing was changed";
    String recover = "; then run: " + recoverCommand(dir);
    Signed served;
    Signed kept;
    try {
      served = read(cpFile, key, origin);
      kept = read(signedFile, key, origin);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          e.getMessage()
              + "; refusing to start"
              + nothing
              + "; to continue from the latest checkpoint the log signed (kept in "
              + signedFile
              + ", or one a witness or client saw), run: "
              + recoverCommand(dir)
              + " [--checkpoint FILE]");
    }
    if (served == null) {
      throw new IllegalStateException(
          cpFile
              + " is missing, but "
              + (kept != null
                  ? signedFile + " shows that this log's key has signed a checkpoint of size "
                  : entries + " holds entries, so this log's key has signed a checkpoint of size ")
              + (kept != null ? kept.size() : file.size())
              + (kept != null ? "" : " or less")
              + " ("
              + entries
              + " holds "
              + file.size()
              + " entries). Starting without it could sign another root for a size already"
              + " signed: two histories under one key. Refusing to start"
              + nothing
              + ". Find out why the file is gone"
              + recover
              + " [--checkpoint FILE: the latest checkpoint a witness or client saw]");
    }
    if (kept != null && served.size() < kept.size()) {
      throw new IllegalStateException(
          cpFile
              + " is a checkpoint of size "
              + served.size()
              + ", older than the checkpoint of size "
              + kept.size()
              + " this log's key has signed (kept in "
              + signedFile
              + "): the data directory was restored from an older backup or rolled back. Starting"
              + " from it would sign other roots for sizes up to "
              + kept.size()
              + ". Refusing to start"
              + nothing
              + ". Put back a copy of "
              + entries
              + " holding at least "
              + kept.size()
              + " entries (a newer backup or a mirror)"
              + recover);
    }
    if (kept != null && served.size() == kept.size() && !served.sameAs(kept)) {
      throw new IllegalStateException(
          "this log's key has signed two roots for size "
              + served.size()
              + ": "
              + served.describe()
              + " and "
              + kept.describe()
              + ". That is a fork; keep both files as evidence. Refusing to start"
              + nothing);
    }
    Optional<LogFile.Damage> damage = file.damage();
    if (damage.isPresent()
        && (!damage.get().incomplete() || damage.get().record() < served.size())) {
      LogFile.Damage d = damage.get();
      throw new IllegalStateException(
          "the transparency log in "
              + dir
              + " is damaged: "
              + d.what()
              + "; refusing to start"
              + nothing
              + (d.record() < served.size()
                  ? ". The record is covered by the signed checkpoint of size "
                      + served.size()
                      + ": put back a copy of "
                      + entries
                      + " holding those entries unchanged (a backup or a mirror)"
                      + recover
                  : ". No checkpoint covers it (the last signed one has size "
                      + served.size()
                      + "): "
                      + recoverCommand(dir)
                      + " removes it and any record after it, keeping a copy"));
    }
    for (Signed s : kept == null ? List.of(served) : List.of(served, kept)) {
      if (file.size() < s.size()) {
        throw new IllegalStateException(
            s.source()
                + " covers "
                + s.size()
                + " entries but "
                + entries
                + " holds "
                + file.size()
                + "; refusing to start"
                + nothing
                + ". Put back a copy of "
                + entries
                + " holding at least "
                + s.size()
                + " entries (a backup or a mirror)"
                + recover);
      }
      if (!reproduces(tree, s)) {
        throw new IllegalStateException(
            s.source()
                + " signs a root for "
                + s.size()
                + " entries that "
                + entries
                + " does not reproduce (entries were altered); refusing to start"
                + nothing
                + ". Put back a copy of "
                + entries
                + " that does (a backup or a mirror)"
                + recover);
      }
    }
    for (long i = served.size(); i < file.size(); i++) {
      Optional<String> why = unauthorized(file, i, publishers);
      if (why.isPresent()) {
        throw new IllegalStateException(
            entries
                + ": record "
                + i
                + " is past the last signed checkpoint (size "
                + served.size()
                + ") and "
                + why.get()
                + "; the log signs only entries a configured publisher signed. Refusing to start"
                + nothing
                + ". "
                + recoverCommand(dir)
                + " removes it and every record after it, keeping a copy");
      }
    }
    return new Verified(served, kept);
  }
}
