package org.privateprocessing.attest;

import org.privateprocessing.ProtocolException;

/**
 * An {@link EnclaveEvidence} bundle that cannot be read; the message names the structural check.
 */
public final class EvidenceFormatException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the bundle was rejected. */
  public enum Reason {
    /** Not the DER structure of {@link EnclaveEvidence}, or a field of the wrong type or length. */
    MALFORMED,
    /** A bundle version this code does not know. */
    UNSUPPORTED_VERSION,
    /** Larger than {@value EnclaveEvidence#MAX_ENCODED} bytes. */
    OVERSIZED
  }

  public EvidenceFormatException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
