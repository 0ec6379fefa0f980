package org.privateprocessing.ohttp.bhttp;

import java.util.Objects;

/**
 * An invalid Binary HTTP message (RFC 9292 section 4). The message names the failed check and
 * never contains message content.
 */
public final class BinaryHttpException extends Exception {
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

  private final Reason reason;

  public BinaryHttpException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** No stack trace: invalid input is an expected outcome, not a programming error. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
