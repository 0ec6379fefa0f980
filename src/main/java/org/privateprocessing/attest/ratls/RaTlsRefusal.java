package org.privateprocessing.attest.ratls;

import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.Optional;
import org.privateprocessing.attest.Check;

/**
 * Why {@link RaTlsTrustManager} refused a server: the step that failed and, for {@link
 * RaTlsCheck#EVIDENCE}, the SEV-SNP check. The message reads "RA-TLS: refused by &lt;check&gt;:
 * &lt;reason&gt;" and carries no secrets (only structural facts about the certificate and
 * evidence); no stack trace is kept.
 */
public final class RaTlsRefusal extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final RaTlsCheck step;
  private final Check evidenceCheck;

  RaTlsRefusal(RaTlsCheck step, Check evidenceCheck, String reason) {
    super(
        "RA-TLS: refused by "
            + (evidenceCheck != null ? evidenceCheck.name() : step.name())
            + ": "
            + Objects.requireNonNull(reason, "reason"));
    this.step = Objects.requireNonNull(step, "step");
    this.evidenceCheck = evidenceCheck;
    // A refusal is an expected outcome, not a bug: its stack trace would only say "in the trust
    // manager".
    setStackTrace(new StackTraceElement[0]);
  }

  /** The trust manager's step that refused. */
  public RaTlsCheck step() {
    return step;
  }

  /** The SEV-SNP check that refused, when {@link #step()} is {@link RaTlsCheck#EVIDENCE}. */
  public Optional<Check> evidenceCheck() {
    return Optional.ofNullable(evidenceCheck);
  }

  /** The name in the message: the SEV-SNP check if there is one, else the step. */
  public String failedCheck() {
    return evidenceCheck != null ? evidenceCheck.name() : step.name();
  }
}
