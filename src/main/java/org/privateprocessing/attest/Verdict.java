package org.privateprocessing.attest;

import java.util.Objects;

/**
 * The outcome of verifying SEV-SNP evidence: either the report, accepted, or the one check that
 * refused it. There is deliberately no boolean: the only way to get at the report is to match
 * {@link Accepted}, so a caller cannot forget to look at the result.
 */
public sealed interface Verdict {

  /** Every check passed; the report's claims may be relied on. */
  record Accepted(SnpReport report) implements Verdict {
    public Accepted {
      Objects.requireNonNull(report, "report");
    }
  }

  /** The evidence was refused by {@code failed}; {@code reason} says why, for logs and auditors. */
  record Refused(Check failed, String reason) implements Verdict {
    public Refused {
      Objects.requireNonNull(failed, "failed");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return "refused by " + failed + ": " + reason;
    }
  }
}
