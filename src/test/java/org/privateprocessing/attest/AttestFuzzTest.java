package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Fuzz targets for what a client reads from an enclave before it trusts it: SEV-SNP reports and the
 * evidence bundle (also the RA-TLS certificate extension). The parsers either return or throw their
 * format exception, and what parses re-encodes byte for byte (a verifier must show exactly what was
 * signed); the verifier answers any parsed bundle with a {@link Verdict}, never an exception, and
 * never accepts one whose REPORT_DATA does not bind it.
 */
class AttestFuzzTest {
  /** Inside the validity of every vector certificate. */
  private static final Instant NOW = Instant.parse("2026-06-01T00:01:00Z");

  @FuzzTest
  void snpReport(byte[] input) {
    SnpReport parsed;
    try {
      parsed = SnpReport.parse(input);
    } catch (SnpFormatException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  @FuzzTest
  void enclaveEvidence(byte[] input) {
    EnclaveEvidence parsed;
    try {
      parsed = EnclaveEvidence.parse(input);
    } catch (EvidenceFormatException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  @FuzzTest
  void verifyEvidence(byte[] input) {
    EnclaveEvidence parsed;
    try {
      parsed = EnclaveEvidence.parse(input);
    } catch (EvidenceFormatException refused) {
      return;
    }
    Verdict verdict =
        parsed.verify(AttestationPolicy.auditAnyMeasurement(), NOW, TrustAnchors.amdOnly());
    assertThat(verdict).isNotNull();
    if (verdict instanceof Verdict.Accepted accepted) {
      assertThat(
              ReportDataBinding.matches(
                  accepted.report(),
                  parsed.keyConfigs(),
                  parsed.tlsSpki(),
                  EnclaveEvidence.timeNonce(parsed.producedAt())))
          .isTrue();
    }
  }
}
