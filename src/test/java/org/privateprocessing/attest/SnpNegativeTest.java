package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.attest.SnpVectors.VALID_AT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad evidence of every kind is refused by the check that should catch it, never by an exception.
 */
class SnpNegativeTest {
  private static final AttestationPolicy ANY = AttestationPolicy.auditAnyMeasurement();
  private final byte[] report = SnpVectors.bytes(SnpVectors.VIRTEE.report());
  private final X509Certificate vcek = SnpVectors.cert(SnpVectors.VIRTEE.vcek());

  private Verdict verify(byte[] bytes) {
    return SnpVerifier.verify(bytes, vcek, Optional.empty(), Optional.empty(), ANY, VALID_AT);
  }

  /**
   * The vector's report and VCEK, with the built-in AMD chain, under {@code policy} at {@code at}.
   */
  private Verdict withVectorChain(AttestationPolicy policy, Instant at) {
    return SnpVerifier.verify(report, vcek, Optional.empty(), Optional.empty(), policy, at);
  }

  /** The same, for evidence produced at {@code producedAt}. */
  private Verdict withVectorChain(
      AttestationPolicy policy, Instant at, Optional<Instant> producedAt) {
    return SnpVerifier.verify(
        report, vcek, Optional.empty(), Optional.empty(), policy, at, producedAt);
  }

  private static void refused(Verdict v, Check check) {
    assertThat(v).isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) v).failed()).as(v.toString()).isEqualTo(check);
    assertThat(((Verdict.Refused) v).reason()).isNotBlank();
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x01;
    return c;
  }

  @Test
  @DisplayName("truncated and oversized reports are refused as FORMAT")
  void lengths() {
    refused(verify(Arrays.copyOf(report, SnpReport.SIZE - 1)), Check.FORMAT);
    refused(verify(new byte[0]), Check.FORMAT);
    refused(verify(Arrays.copyOf(report, SnpReport.SIZE + 1)), Check.FORMAT);
    assertThatThrownBy(() -> SnpReport.parse(Arrays.copyOf(report, 100)))
        .isInstanceOfSatisfying(
            SnpFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(SnpFormatException.Reason.TRUNCATED));
    assertThatThrownBy(() -> SnpReport.parse(Arrays.copyOf(report, 2000)))
        .isInstanceOfSatisfying(
            SnpFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(SnpFormatException.Reason.OVERSIZED));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4, 6, 0xFFFF_FFFF})
  @DisplayName("unknown report versions are refused as VERSION")
  void unknownVersion(int version) {
    byte[] b = report.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, version);
    refused(verify(b), Check.VERSION);
    assertThatThrownBy(() -> SnpReport.parse(b))
        .isInstanceOfSatisfying(
            SnpFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(SnpFormatException.Reason.UNSUPPORTED_VERSION));
  }

  @Test
  @DisplayName("a signature algorithm other than ECDSA P-384/SHA-384 is refused")
  void wrongSignatureAlgorithm() {
    byte[] b = report.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0x34, 2);
    refused(verify(b), Check.SIGNATURE_ALGORITHM);
  }

  @Test
  @DisplayName("a report signed by a VLEK (SIGNING_KEY 1) is refused")
  void vlekRefused() {
    byte[] b = report.clone();
    b[0x48] = 1 << 2;
    refused(verify(b), Check.SIGNING_KEY);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        0x004, 0x008, 0x030, 0x038, 0x04C, 0x050, 0x08F, 0x090, 0x0C0, 0x140, 0x180, 0x1A0, 0x1E0,
        0x1F0, 0x29F
      })
  @DisplayName("a flipped byte anywhere in the signed region fails the report signature")
  void flippedSignedByte(int at) {
    refused(verify(flip(report, at)), Check.REPORT_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x2A0, 0x2C0, 0x2E7, 0x2E8, 0x300, 0x32F, 0x330, 0x49F})
  @DisplayName(
      "a flipped byte in the signature (R, S, or its reserved tail) fails the report signature")
  void flippedSignatureByte(int at) {
    refused(verify(flip(report, at)), Check.REPORT_SIGNATURE);
  }

  @Test
  @DisplayName("another chip's VCEK does not verify the report")
  void otherChipsVcek() {
    refused(
        SnpVerifier.verify(
            report,
            SnpVectors.cert("milan-vcek.der"),
            Optional.empty(),
            Optional.empty(),
            ANY,
            VALID_AT),
        Check.REPORT_SIGNATURE);
  }

  @Test
  @DisplayName("flipped bytes in the VCEK, ASK or ARK fail the chain")
  void flippedCertificates() throws Exception {
    byte[] vcekDer = vcek.getEncoded();
    X509Certificate badVcek = Certificates.parse(flip(vcekDer, vcekDer.length - 10));
    refused(
        SnpVerifier.verify(report, badVcek, Optional.empty(), Optional.empty(), ANY, VALID_AT),
        Check.VCEK_CHAIN);
    byte[] askDer = AmdProduct.MILAN.ask().getEncoded();
    X509Certificate badAsk = Certificates.parse(flip(askDer, askDer.length - 10));
    refused(
        SnpVerifier.verify(report, vcek, Optional.of(badAsk), Optional.empty(), ANY, VALID_AT),
        Check.VCEK_CHAIN);
    byte[] arkDer = AmdProduct.MILAN.ark().getEncoded();
    X509Certificate badArk = Certificates.parse(flip(arkDer, arkDer.length - 10));
    refused(
        SnpVerifier.verify(report, vcek, Optional.empty(), Optional.of(badArk), ANY, VALID_AT),
        Check.VCEK_CHAIN);
  }

  @Test
  @DisplayName("Genoa roots for a Milan VCEK are refused as a wrong chain")
  void wrongChain() {
    refused(
        SnpVerifier.verify(
            report,
            vcek,
            Optional.of(AmdProduct.GENOA.ask()),
            Optional.of(AmdProduct.GENOA.ark()),
            ANY,
            VALID_AT),
        Check.VCEK_CHAIN);
    refused(
        SnpVerifier.verify(
            report, vcek, Optional.of(AmdProduct.GENOA.ask()), Optional.empty(), ANY, VALID_AT),
        Check.VCEK_CHAIN);
  }

  @Test
  @DisplayName("a self-made root is not AMD's, even if it signs the ASK's name")
  void arkMustBeAmds() {
    // The ASK as its own 'root': self-consistent names are not enough, the ARK bytes are pinned.
    refused(
        SnpVerifier.verify(
            report, vcek, Optional.empty(), Optional.of(AmdProduct.MILAN.ask()), ANY, VALID_AT),
        Check.VCEK_CHAIN);
  }

  @Test
  @DisplayName("after the VCEK expires (or before it is valid) the evidence is refused")
  void expired() {
    // virtee Milan VCEK: 2023-04-03 .. 2030-04-03.
    refused(withVectorChain(ANY, Instant.parse("2031-01-01T00:00:00Z")), Check.CERT_VALIDITY);
    refused(withVectorChain(ANY, Instant.parse("2023-01-01T00:00:00Z")), Check.CERT_VALIDITY);
  }

  @Test
  @DisplayName("stale, undated and future evidence are refused when the policy bounds its age")
  void freshness() {
    AttestationPolicy policy = ANY.withMaxEvidenceAge(Duration.ofMinutes(5));
    Verdict stale =
        withVectorChain(policy, VALID_AT, Optional.of(VALID_AT.minus(Duration.ofMinutes(6))));
    refused(stale, Check.FRESHNESS);
    refused(withVectorChain(policy, VALID_AT), Check.FRESHNESS);
    refused(
        withVectorChain(policy, VALID_AT, Optional.of(VALID_AT.plusSeconds(60))), Check.FRESHNESS);
    assertThat(
            withVectorChain(policy, VALID_AT, Optional.of(VALID_AT.minus(Duration.ofMinutes(4)))))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  @DisplayName("a TCB below the minimum, a foreign measurement and wrong REPORT_DATA are refused")
  void policyChecks() throws Exception {
    SnpReport r = SnpReport.parse(report);
    refused(
        withVectorChain(ANY.withMinimumTcb(TcbVersion.ofMilanGenoa(3, 0, 9, 115)), VALID_AT),
        Check.TCB);
    refused(
        withVectorChain(AttestationPolicy.requireMeasurements(List.of(new byte[48])), VALID_AT),
        Check.MEASUREMENT);
    byte[] other = r.reportData();
    other[63] ^= 1;
    refused(withVectorChain(ANY.withReportData(other), VALID_AT), Check.REPORT_DATA);
  }

  @Test
  @DisplayName("a report from VMPL 1 is refused when VMPL 0 is required, and accepted when 1 is")
  void vmpl() {
    byte[] vmpl1 = SnpVectors.bytes(SnpVectors.TEEKIT_DATA.report());
    X509Certificate gcp = SnpVectors.cert(SnpVectors.TEEKIT_DATA.vcek());
    refused(
        SnpVerifier.verify(
            vmpl1, gcp, Optional.empty(), Optional.empty(), ANY.withVmpl(0), VALID_AT),
        Check.VMPL);
    assertThat(
            SnpVerifier.verify(
                vmpl1, gcp, Optional.empty(), Optional.empty(), ANY.withVmpl(1), VALID_AT))
        .isInstanceOf(Verdict.Accepted.class);
    assertThatThrownBy(() -> ANY.withVmpl(4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a VCEK cannot act as an ASK: a non-CA issuer breaks the chain")
  void nonCaIssuer() {
    refused(
        SnpVerifier.verify(report, vcek, Optional.of(vcek), Optional.empty(), ANY, VALID_AT),
        Check.VCEK_CHAIN);
  }

  @Test
  @DisplayName("a library policy must name at least one measurement")
  void emptyAllowListRejected() {
    assertThatThrownBy(() -> AttestationPolicy.requireMeasurements(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
