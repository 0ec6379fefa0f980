package org.privateprocessing.token.voprf;

import org.privateprocessing.ProtocolException;

/**
 * A failure of an RFC 9497 (V)OPRF operation, with the error of RFC 9497 section 2.2.3 / 3.2.1 /
 * 4.4 it corresponds to.
 *
 * <p>The message names the check that failed; it never contains scalars, blinds, inputs or outputs,
 * so it is safe to log. Callers map {@link #reason()} to a problem response in one place.
 */
public final class VoprfException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /**
     * The input cannot be evaluated: it hashes to the identity, is too long, or a list is empty or
     * mismatched.
     */
    INVALID_INPUT,
    /**
     * Bytes are not a valid element (not on the curve, the identity, wrong encoding) or scalar
     * (wrong length, not below the order).
     */
    DESERIALIZE_ERROR,
    /**
     * The DLEQ proof does not verify against the public key (RFC 9497 section 2.2.2, VerifyError).
     */
    INVALID_PROOF,
    /** DeriveKeyPair found no non-zero scalar in 256 attempts (RFC 9497 section 3.2.1). */
    DERIVE_KEY_PAIR_ERROR
  }

  public VoprfException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
