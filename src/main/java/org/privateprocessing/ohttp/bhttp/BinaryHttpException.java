package org.privateprocessing.ohttp.bhttp;

import org.privateprocessing.ProtocolException;

/**
 * An invalid Binary HTTP message (RFC 9292 section 4). The message names the failed check and never
 * contains message content.
 */
public final class BinaryHttpException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the message is invalid. */
  public enum Reason {
    /** The input ends inside a structure that cannot be truncated there (RFC 9292 section 3.8). */
    TRUNCATED,
    /** A length, status code, field or padding byte is invalid. */
    MALFORMED,
    /** The framing indicator is not one this parser accepts (RFC 9292 section 3.3). */
    UNSUPPORTED_FRAMING,
    /** A resource limit (fields per section, informational responses) was exceeded. */
    TOO_LARGE
  }

  public BinaryHttpException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
