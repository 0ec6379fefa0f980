package org.privateprocessing.attest;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Produces SEV-SNP evidence for the enclave it runs in: an attestation report carrying the given
 * REPORT_DATA (usually {@link ReportDataBinding#compute}) and the certificates that sign it.
 * Implementations: {@link ConfigfsTsmProvider} (real hardware) and {@link SimulatedSnpProvider}
 * (development; its evidence only verifies with {@link TrustAnchors#trustSimulatedRoot}).
 */
public interface AttestationProvider {

  /**
   * A report signed for exactly {@code reportData}.
   *
   * @param reportData 64 bytes
   */
  Evidence attest(byte[] reportData) throws AttestationException;

  /**
   * A report and its chain, VCEK first, then ASK and ARK when the platform supplied them.
   *
   * @param report the 0x4A0-byte ATTESTATION_REPORT
   * @param chain VCEK, ASK, ARK (ASK and ARK may be absent: the verifier then uses AMD's shipped
   *     ones)
   */
  record Evidence(byte[] report, List<X509Certificate> chain) {
    public Evidence {
      Objects.requireNonNull(report, "report");
      chain = List.copyOf(chain);
      if (chain.isEmpty() || chain.size() > 3) {
        throw new IllegalArgumentException("chain is VCEK[, ASK[, ARK]]");
      }
      report = report.clone();
    }

    @Override
    public byte[] report() {
      return report.clone();
    }

    public X509Certificate vcek() {
      return chain.get(0);
    }

    public Optional<X509Certificate> ask() {
      return chain.size() > 1 ? Optional.of(chain.get(1)) : Optional.empty();
    }

    public Optional<X509Certificate> ark() {
      return chain.size() > 2 ? Optional.of(chain.get(2)) : Optional.empty();
    }

    /**
     * Verifies this evidence with {@link SnpVerifier} (the one code path for real and simulated
     * evidence).
     */
    public Verdict verify(AttestationPolicy policy, Instant now, TrustAnchors anchors) {
      return SnpVerifier.verify(
          report, vcek(), ask(), ark(), policy, now, Optional.empty(), anchors);
    }
  }
}
