package org.privateprocessing.tlog;

import org.privateprocessing.ProtocolException;

/**
 * A failed transparency-log check: a malformed proof, checkpoint or note, a proof that does not
 * verify, a signature that does not, or a log store that is damaged.
 *
 * <p>The message names the check that failed; it never carries key material or entry content.
 */
public final class TlogException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /** The input is structurally invalid (bad base64, bad line, bad length, bad key string ...). */
    MALFORMED,
    /** A Merkle proof does not lead to the expected root (RFC 9162 2.1.3.2 / 2.1.4.2). */
    BAD_PROOF,
    /** An index or tree size is out of range (beyond the tree, size1 > size2, size 0 ...). */
    SIZE,
    /** No signature on a note is from a trusted key. */
    UNKNOWN_KEY,
    /** A signature from a trusted key (name and key id match) does not verify. */
    BAD_SIGNATURE,
    /** Fewer trusted witnesses cosigned than the policy's threshold. */
    NOT_ENOUGH_SIGNATURES,
    /** Two views of the log disagree (e.g. a stored checkpoint beyond the stored entries). */
    INCONSISTENT,
    /** The durable log file is damaged in a way that must not be repaired automatically. */
    CORRUPT_STORE,
    /** An input exceeds a size limit (note length, signature count, entry length). */
    TOO_LARGE
  }

  public TlogException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
