package org.privateprocessing.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.privateprocessing.client.LogTrust.Refusal;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.tlog.WitnessPolicy;

/**
 * Re-checks a saved {@link Receipt} against the transparency log, after the fact (issue #16 item 5;
 * {@code audit receipt FILE}). Plain and without I/O: the caller fetches the log's current
 * checkpoint and the two proofs, this class judges them, step by step:
 *
 * <ol>
 *   <li>{@link #receiptCheckpoint}: the receipt's checkpoint is signed by a trusted log key (and
 *       cosigned as the witness policy asks), its entry is proven included in it at its leaf index,
 *       and the entry is the release of the receipt's measurement;
 *   <li>{@link #current}: the log's checkpoint now is signed likewise, for the same log;
 *   <li>{@link #consistent}: the receipt's tree is a prefix of today's (RFC 9162 consistency), so
 *       the log did not fork or rewrite history since;
 *   <li>{@link #stillIncluded}: the entry is proven at the same index in today's tree.
 * </ol>
 *
 * Each step throws a {@link Refusal} whose type says which check failed ({@code receipt-signature},
 * {@code receipt-proof}, {@code receipt-entry}, {@code log-signature}, {@code log-fork}, {@code
 * log-proof}). Thread-safe: immutable.
 */
public final class ReceiptCheck {
  private final List<NoteVerifier> logKeys;
  private final WitnessPolicy witnesses;

  public ReceiptCheck(Collection<NoteVerifier> logKeys, WitnessPolicy witnesses) {
    this.logKeys = List.copyOf(logKeys);
    this.witnesses = Objects.requireNonNull(witnesses, "witnesses");
    if (this.logKeys.isEmpty()) {
      throw new IllegalArgumentException("a receipt is checked against at least one log key");
    }
  }

  /**
   * Step 1, offline: the receipt's own checkpoint and proof.
   *
   * @return the receipt's checkpoint, its signature verified
   * @throws Refusal {@code receipt-no-log} for a receipt made without a log, {@code
   *     receipt-signature}, {@code receipt-proof} or {@code receipt-entry}
   */
  public Checkpoint receiptCheckpoint(Receipt receipt) throws Refusal {
    Receipt.LoggedRelease release = receipt.release();
    if (release == null) {
      throw new Refusal(
          "receipt-no-log",
          "this receipt has no log proof: the client that saved it used no transparency log "
              + "(configure logKeys in its trust settings), so there is nothing to re-check");
    }
    Checkpoint cp;
    try {
      cp = verified(release.signedNote());
    } catch (TlogException e) {
      throw new Refusal(
          "receipt-signature",
          "the receipt's checkpoint is not signed by the log key given (" + e.getMessage() + ")");
    }
    try {
      release.proof().verify(Rfc9162.leafHash(release.entryBytes()), cp.rootHash());
    } catch (TlogException e) {
      throw new Refusal(
          "receipt-proof",
          "the receipt's release entry is not proven at leaf "
              + release.leafIndex()
              + " of its checkpoint ("
              + e.getMessage()
              + "): the receipt was altered");
    }
    JsonObject entry = entry(release);
    if (!"enclave-release".equals(entry.getValue("type"))) {
      throw new Refusal(
          "receipt-entry",
          "leaf "
              + release.leafIndex()
              + " is a '"
              + entry.getValue("type")
              + "' entry, not a release");
    }
    if (!receipt.measurement().equals(entry.getValue("measurement"))) {
      throw new Refusal(
          "receipt-entry",
          "the receipt names measurement "
              + receipt.measurement().substring(0, 16)
              + "... but its log entry is the release of another measurement: the receipt was altered");
    }
    return cp;
  }

  /**
   * Step 2: the log's checkpoint now.
   *
   * @param note the signed note the log serves at {@code GET /checkpoint}
   * @param origin the receipt's log (its checkpoint's origin)
   * @throws Refusal {@code log-signature} if it is not signed and cosigned as required, or is of
   *     another log
   */
  public Checkpoint current(String note, String origin) throws Refusal {
    Checkpoint cp;
    try {
      cp = verified(SignedNote.parse(note));
    } catch (TlogException e) {
      throw new Refusal(
          "log-signature",
          "the log's current checkpoint is not signed by the log key given ("
              + e.getMessage()
              + ")");
    }
    if (!cp.origin().equals(origin)) {
      throw new Refusal(
          "log-signature",
          "the log serves checkpoints of '"
              + cp.origin()
              + "', the receipt is of '"
              + origin
              + "'");
    }
    return cp;
  }

  /**
   * Step 3: today's tree extends the receipt's.
   *
   * @param proof the consistency proof from the receipt's size to today's; ignored (may be null)
   *     when the sizes are equal
   * @throws Refusal {@code log-fork} for a smaller tree, two roots of one size, or a proof that
   *     fails
   */
  public void consistent(Checkpoint then, Checkpoint now, ConsistencyProof proof) throws Refusal {
    if (now.size() < then.size()) {
      throw new Refusal(
          "log-fork",
          "rollback: the log is at size "
              + now.size()
              + " but the receipt's checkpoint is of size "
              + then.size());
    }
    if (now.size() == then.size()) {
      if (!MessageDigest.isEqual(now.rootHash(), then.rootHash())) {
        throw new Refusal(
            "log-fork",
            "fork: the log signed two different trees of size " + now.size() + ": refusing");
      }
      return;
    }
    if (proof == null || proof.size1() != then.size() || proof.size2() != now.size()) {
      throw new Refusal(
          "log-fork",
          "no consistency proof from size " + then.size() + " to " + now.size() + ": refusing");
    }
    try {
      proof.verify(then.rootHash(), now.rootHash());
    } catch (TlogException e) {
      throw new Refusal(
          "log-fork",
          "fork: the log's tree of size "
              + now.size()
              + " does not extend the receipt's of size "
              + then.size()
              + " ("
              + e.getMessage()
              + "): the log rewrote its history");
    }
  }

  /**
   * Step 4: the release is still at its index in today's tree.
   *
   * @throws Refusal {@code log-proof} if the proof is for another leaf or size, or fails
   */
  public void stillIncluded(Receipt receipt, Checkpoint now, InclusionProof proof) throws Refusal {
    Receipt.LoggedRelease release = Objects.requireNonNull(receipt.release(), "release");
    if (proof.leafIndex() != release.leafIndex() || proof.treeSize() != now.size()) {
      throw new Refusal(
          "log-proof",
          "the log proved leaf "
              + proof.leafIndex()
              + " of size "
              + proof.treeSize()
              + ", not leaf "
              + release.leafIndex()
              + " of size "
              + now.size());
    }
    try {
      proof.verify(Rfc9162.leafHash(release.entryBytes()), now.rootHash());
    } catch (TlogException e) {
      throw new Refusal(
          "log-proof",
          "the release is not proven at leaf "
              + release.leafIndex()
              + " of the log's current tree ("
              + e.getMessage()
              + ")");
    }
  }

  /** The receipt's release entry as JSON (step 1 checked it is a release of its measurement). */
  public static JsonObject entry(Receipt.LoggedRelease release) throws Refusal {
    try {
      return new JsonObject(Buffer.buffer(release.entryBytes()));
    } catch (DecodeException | ClassCastException e) {
      throw new Refusal("receipt-entry", "the receipt's log entry is not a JSON object");
    }
  }

  private Checkpoint verified(SignedNote note) throws TlogException {
    note.verify(logKeys);
    witnesses.check(note);
    return Checkpoint.parse(note.text());
  }
}
