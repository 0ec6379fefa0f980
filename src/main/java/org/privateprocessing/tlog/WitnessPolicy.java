package org.privateprocessing.tlog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Accept a checkpoint only if at least {@code threshold} of the listed witnesses cosigned it
 * (c2sp.org/tlog-cosignature). Threshold 0 means no witness is needed.
 *
 * <p>A cosignature line that names a listed witness (name and key id) but does not verify is a
 * forgery or a broken witness; it fails the check instead of merely not counting, so it gets
 * noticed.
 */
public record WitnessPolicy(List<CosignatureVerifier> witnesses, int threshold) {
  public WitnessPolicy {
    witnesses = List.copyOf(witnesses);
    if (threshold < 0 || threshold > witnesses.size()) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " must be between 0 and " + witnesses.size());
    }
  }

  /** No witnesses needed. */
  public static WitnessPolicy none() {
    return new WitnessPolicy(List.of(), 0);
  }

  /**
   * Checks the note's cosignatures (over its text, the checkpoint body).
   *
   * @throws TlogException BAD_SIGNATURE for a listed witness's cosignature that does not verify;
   *     NOT_ENOUGH_SIGNATURES if fewer than threshold distinct witnesses cosigned
   */
  public void check(SignedNote note) throws TlogException {
    List<String> verified = verifiedWitnesses(note);
    if (verified.size() < threshold) {
      throw new TlogException(
          TlogException.Reason.NOT_ENOUGH_SIGNATURES,
          verified.size()
              + " of "
              + threshold
              + " required witness cosignatures verified "
              + verified
              + " (witnesses: "
              + names()
              + ")");
    }
  }

  /**
   * The listed witnesses with a valid cosignature on the note, as {@code name+hexkeyid}, each once.
   */
  public List<String> verifiedWitnesses(SignedNote note) throws TlogException {
    Set<String> ok = new LinkedHashSet<>();
    for (NoteSignature s : note.signatures()) {
      for (CosignatureVerifier w : witnesses) {
        if (w.matches(s)) {
          if (w.verify(note.text(), s.signature()).isEmpty()) {
            throw new TlogException(
                TlogException.Reason.BAD_SIGNATURE,
                "cosignature by witness " + w.name() + " does not verify");
          }
          ok.add(w.name() + "+" + Hashes.hex(w.keyId()));
        }
      }
    }
    return new ArrayList<>(ok);
  }

  private List<String> names() {
    List<String> n = new ArrayList<>();
    for (CosignatureVerifier w : witnesses) {
      n.add(w.name());
    }
    return n;
  }
}
