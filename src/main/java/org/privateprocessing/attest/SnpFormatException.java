package org.privateprocessing.attest;

import org.privateprocessing.ProtocolException;

/**
 * A SEV-SNP attestation report that cannot be parsed (AMD SEV-SNP ABI specification, table
 * "ATTESTATION_REPORT Structure").
 *
 * <p>The message names the structural check that failed and never echoes report contents beyond
 * lengths and version numbers. {@link SnpVerifier} turns it into a {@link Verdict.Refused}, so a
 * verifier caller never sees it.
 */
public final class SnpFormatException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the report was rejected. */
  public enum Reason {
    /** Fewer than {@value SnpReport#SIZE} bytes. */
    TRUNCATED,
    /** More than {@value SnpReport#SIZE} bytes: trailing bytes are never silently ignored. */
    OVERSIZED,
    /** A report version this parser does not know (supported: 2, 3 and 5). */
    UNSUPPORTED_VERSION
  }

  public SnpFormatException(Reason reason, String message) {
    super(reason, message);
  }

  public Reason reason() {
    return (Reason) reasonCode();
  }
}
