package org.privateprocessing.attest;

import java.util.Objects;

/**
 * An {@link AttestationProvider} could not produce evidence. Distinct from a {@link Verdict}: this
 * is the attesting side failing (no hardware, an I/O error, a malformed kernel answer), not a
 * verifier refusing evidence.
 */
public final class AttestationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why no evidence was produced. */
  public enum Reason {
    /** The platform offers no SEV-SNP attestation (no configfs-tsm tree, another TSM provider). */
    UNAVAILABLE,
    /** Reading or writing the attestation interface failed. */
    IO,
    /** Another writer changed the report request while it was being read (configfs generation). */
    CONCURRENT_WRITER,
    /** The report returned is malformed or does not carry the REPORT_DATA requested. */
    BAD_REPORT,
    /** The certificate table (auxblob) is malformed or lacks the VCEK. */
    BAD_CERTIFICATE_TABLE,
    /** Producing or signing the evidence failed (simulated provider). */
    SIGNING
  }

  private final Reason reason;

  public AttestationException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AttestationException(Reason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
