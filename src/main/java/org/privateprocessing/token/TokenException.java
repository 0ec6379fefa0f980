package org.privateprocessing.token;

import org.privateprocessing.ProtocolException;

/**
 * A failure to parse, issue, finalize or verify a Privacy Pass message (RFC 9577, RFC 9578).
 *
 * <p>The message names the check that failed; it never contains token, key or blinding material, so
 * it is safe to log. Callers map {@link #reason()} to a problem response in one place.
 */
public final class TokenException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /**
     * The input is structurally invalid (bad length, bad base64url, trailing bytes, bad header
     * ...).
     */
    MALFORMED,
    /** The input ended before a complete structure was read. */
    TRUNCATED,
    /** The token type is not one this package implements (RFC 9578 section 8.1 registry). */
    UNSUPPORTED_TYPE,
    /** The (truncated) token key id names no key held here (RFC 9578 sections 5.2 and 6.2). */
    UNKNOWN_KEY,
    /**
     * The token was not made for the challenge it is presented against (RFC 9577 section 2.2.2).
     */
    WRONG_CHALLENGE,
    /** A signature (blind or final) does not verify under the issuer key (RFC 9474 section 4.4). */
    INVALID_SIGNATURE,
    /** A VOPRF proof does not verify (RFC 9497 section 2.2). */
    INVALID_PROOF,
    /** The token key is not, or no longer, valid for use (RFC 9578 section 4, "not-before"). */
    EXPIRED_KEY
  }

  public TokenException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
