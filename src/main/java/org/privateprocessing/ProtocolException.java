package org.privateprocessing;

import java.util.Objects;

/**
 * The base of the protocol packages' typed failures (Oblivious HTTP, Binary HTTP, Privacy Pass,
 * VOPRF, SEV-SNP reports): each names its cause with its own {@code Reason} enum, and its message
 * names the check that failed, never the content or key material, so it is safe to log.
 *
 * <p>No stack trace: these are expected outcomes of bad input on hot paths, not programming errors.
 */
public abstract class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Enum<?> reason;

  protected ProtocolException(Enum<?> reason, String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message, null, false, false);
    this.reason = reason;
  }

  /** The subclass's reason, for its typed {@code reason()} accessor. */
  protected final Enum<?> reasonCode() {
    return reason;
  }
}
