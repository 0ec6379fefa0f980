package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Simulated evidence goes through the same {@link SnpVerifier} as hardware evidence. */
class SimulatedSnpProviderTest {
  static final byte[] IMAGE = "enclave.jar bytes + enclave config".getBytes(StandardCharsets.UTF_8);
  static final byte[] MEASUREMENT = SimulatedSnpProvider.measure(IMAGE);
  static final byte[] KEYS = {0x00, 0x2d, 0x01, 0x00, 0x20};
  static final byte[] SPKI = {0x30, 0x2a, 0x30, 0x05};
  static final byte[] NONCE = {9, 8, 7};

  /** RSA-4096 key generation takes seconds: one provider for the whole class. */
  private static final class Shared {
    static final SimulatedSnpProvider PROVIDER =
        new SimulatedSnpProvider(MEASUREMENT, new SecureRandom(), Instant.now());
  }

  static SimulatedSnpProvider provider() {
    return Shared.PROVIDER;
  }

  static TrustAnchors trusted() {
    return TrustAnchors.trustSimulatedRoot(provider().ark());
  }

  static AttestationPolicy policy() {
    return AttestationPolicy.requireMeasurements(List.of(MEASUREMENT))
        .withVmpl(0)
        .withReportData(ReportDataBinding.compute(KEYS, SPKI, NONCE));
  }

  static AttestationProvider.Evidence evidence() throws AttestationException {
    return provider().attest(ReportDataBinding.compute(KEYS, SPKI, NONCE));
  }

  static void refused(Verdict v, Check check) {
    assertThat(v).isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) v).failed()).as(v.toString()).isEqualTo(check);
  }

  @Test
  @DisplayName(
      "simulated evidence with a bound REPORT_DATA is accepted when its root is explicitly trusted")
  void accepted() throws Exception {
    AttestationProvider.Evidence e = evidence();
    Verdict v =
        SnpVerifier.verify(
            e.report(),
            e.vcek(),
            e.ask(),
            e.ark(),
            policy(),
            Instant.now(),
            Optional.empty(),
            trusted());
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    SnpReport r = ((Verdict.Accepted) v).report();
    assertThat(r.encode()).isEqualTo(e.report());
    assertThat(r.measurement()).isEqualTo(MEASUREMENT);
    assertThat(r.vmpl()).isZero();
    assertThat(r.policy().debugAllowed()).isFalse();
    assertThat(r.chipId()).isEqualTo(provider().chipId());
    assertThat(ReportDataBinding.matches(r, KEYS, SPKI, NONCE)).isTrue();
    assertThat(e.verify(policy(), Instant.now(), trusted())).isEqualTo(v);
  }

  @Test
  @DisplayName(
      "the report has the real layout: parse and encode round-trip byte for byte, signature algo 1")
  void realLayout() throws Exception {
    byte[] report = evidence().report();
    assertThat(report).hasSize(SnpReport.SIZE);
    SnpReport r = SnpReport.parse(report);
    assertThat(r.encode()).isEqualTo(report);
    assertThat(r.signatureAlgo()).isEqualTo(1);
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.reportedTcb()).isEqualTo(SimulatedSnpProvider.TCB);
  }

  @Test
  @DisplayName("by default (AMD roots only) simulated evidence is refused by SIMULATED_ROOT")
  void refusedByDefault() throws Exception {
    AttestationProvider.Evidence e = evidence();
    refused(
        SnpVerifier.verify(e.report(), e.vcek(), e.ask(), e.ark(), policy(), Instant.now()),
        Check.SIMULATED_ROOT);
    refused(e.verify(policy(), Instant.now(), TrustAnchors.amdOnly()), Check.SIMULATED_ROOT);
  }

  @Test
  @DisplayName("another simulated root than the trusted one is refused by SIMULATED_ROOT")
  void otherSimulatedRootRefused() throws Exception {
    AttestationProvider.Evidence e = evidence();
    // The trusted root is another certificate with the same name: an AMD ARK stands in for it.
    TrustAnchors other = TrustAnchors.trustSimulatedRoot(AmdProduct.MILAN.ark());
    refused(e.verify(policy(), Instant.now(), other), Check.SIMULATED_ROOT);
  }

  @Test
  @DisplayName("a measurement not in the policy is refused by MEASUREMENT")
  void measurementNotAllowed() throws Exception {
    AttestationPolicy p =
        AttestationPolicy.requireMeasurements(
            List.of(SimulatedSnpProvider.measure(new byte[] {1})));
    refused(evidence().verify(p, Instant.now(), trusted()), Check.MEASUREMENT);
  }

  @Test
  @DisplayName("REPORT_DATA bound to other keys or another nonce is refused by REPORT_DATA")
  void reportDataMismatch() throws Exception {
    AttestationProvider.Evidence e =
        provider().attest(ReportDataBinding.compute(KEYS, SPKI, new byte[0]));
    refused(e.verify(policy(), Instant.now(), trusted()), Check.REPORT_DATA);
    e = provider().attest(ReportDataBinding.compute(KEYS, new byte[] {1}, NONCE));
    refused(e.verify(policy(), Instant.now(), trusted()), Check.REPORT_DATA);
  }

  @Test
  @DisplayName("flipping any single byte of the report is refused")
  void flippedReportBytes() throws Exception {
    AttestationProvider.Evidence e = evidence();
    byte[] good = e.report();
    for (int i = 0; i < SnpReport.SIZE; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Verdict v =
          SnpVerifier.verify(
              bad,
              e.vcek(),
              e.ask(),
              e.ark(),
              policy(),
              Instant.now(),
              Optional.empty(),
              trusted());
      assertThat(v).as("byte 0x%x", i).isInstanceOf(Verdict.Refused.class);
    }
  }

  @Test
  @DisplayName("flipping bytes of the VCEK, ASK or ARK is refused")
  void flippedCertificateBytes() throws Exception {
    AttestationProvider.Evidence e = evidence();
    List<X509Certificate> chain = e.chain();
    for (int which = 0; which < 3; which++) {
      byte[] der = chain.get(which).getEncoded();
      // The signature value at the end, and bytes in the to-be-signed part.
      for (int at : new int[] {der.length - 5, der.length / 2, 40}) {
        byte[] bad = der.clone();
        bad[at] ^= 0x01;
        X509Certificate cert;
        try {
          cert = Certificates.parse(bad);
        } catch (java.security.cert.CertificateException unreadable) {
          continue; // an unreadable certificate cannot even be presented
        }
        List<X509Certificate> mutated = new ArrayList<>(chain);
        mutated.set(which, cert);
        Verdict v =
            new AttestationProvider.Evidence(e.report(), mutated)
                .verify(policy(), Instant.now(), trusted());
        assertThat(v).as("certificate %d byte %d", which, at).isInstanceOf(Verdict.Refused.class);
      }
    }
  }

  @Test
  @DisplayName(
      "the simulated chain is shaped like AMD's: RSASSA-PSS roots, P-384 VCEK with AMD extensions")
  void chainShape() throws Exception {
    AttestationProvider.Evidence e = evidence();
    assertThat(e.ark().orElseThrow().getSigAlgOID()).isEqualTo(SnpVerifier.OID_RSASSA_PSS);
    assertThat(e.ark().orElseThrow().getSubjectX500Principal().getName())
        .contains("CN=SIMULATED-ARK");
    assertThat(e.vcek().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(SnpVerifier.octets(e.vcek(), SnpVerifier.OID_HWID)).contains(provider().chipId());
    assertThat(SnpVerifier.integer(e.vcek(), SnpVerifier.OID_UCODE_SPL))
        .contains(java.math.BigInteger.valueOf(115));
    assertThat(AmdProduct.ofVcek(e.vcek())).isEmpty();
    assertThat(provider().toString()).contains("SIMULATED");
  }

  @Test
  @DisplayName("a simulated chain without its ASK is refused by VCEK_CHAIN")
  void missingAsk() throws Exception {
    AttestationProvider.Evidence e = evidence();
    refused(
        SnpVerifier.verify(
            e.report(),
            e.vcek(),
            Optional.empty(),
            Optional.empty(),
            policy(),
            Instant.now(),
            Optional.empty(),
            trusted()),
        Check.VCEK_CHAIN);
  }

  @Test
  @DisplayName("trusting a simulated root does not change the verdict on real AMD evidence")
  void realEvidenceStillVerifies() {
    Verdict v =
        SnpVerifier.verify(
            SnpVectors.bytes(SnpVectors.VIRTEE.report()),
            SnpVectors.cert(SnpVectors.VIRTEE.vcek()),
            Optional.empty(),
            Optional.empty(),
            AttestationPolicy.auditAnyMeasurement(),
            SnpVectors.VALID_AT,
            Optional.empty(),
            trusted());
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
  }
}
