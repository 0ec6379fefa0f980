package org.privateprocessing.ohttp;

import org.privateprocessing.ProtocolException;

/**
 * A failure to parse, encapsulate or decapsulate an Oblivious HTTP message (RFC 9458).
 *
 * <p>The message names the check that failed; it never contains plaintext or key material, so it is
 * safe to log. Callers map {@link #reason()} to a problem response in one place.
 */
public final class OhttpException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /** The input ended before a complete structure was read. */
    TRUNCATED,
    /** The input is structurally invalid (wrong length, zero-length list, trailing bytes ...). */
    MALFORMED,
    /** No key configuration with the request's key identifier is held (RFC 9458 section 4.3). */
    UNKNOWN_KEY_ID,
    /** The KEM identifier is unknown or does not match the key configuration. */
    UNSUPPORTED_KEM,
    /** The KDF/AEAD pair is unknown or not offered by the key configuration. */
    UNSUPPORTED_SUITE,
    /** HPKE or AEAD authentication failed (tampered, wrong key, bad encapsulated key). */
    DECRYPTION_FAILED,
    /**
     * A chunked message (draft-ietf-ohai-chunked-ohttp) exceeds the receiver's limit on one chunk
     * or on the whole stream.
     */
    TOO_LARGE
  }

  public OhttpException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
