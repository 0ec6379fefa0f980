package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.attest.SnpVectors.VALID_AT;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VCEK extensions, policy bits, TCB layouts, product selection, and the verifier never throwing.
 */
class SnpStructureTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<SnpVectors.Pair> reports() {
    return SnpVectors.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  @DisplayName("the VCEK extension values read are the ones in the expected JSON")
  void vcekExtensions(SnpVectors.Pair pair) {
    X509Certificate vcek = SnpVectors.cert(pair.vcek());
    JsonNode e = SnpVectors.json(pair.expected()).get("vcek_extensions");
    assertThat(HEX.formatHex(SnpVerifier.octets(vcek, SnpVerifier.OID_HWID).orElseThrow()))
        .isEqualTo(e.get("hwID 1.4").asText());
    assertThat(HEX.formatHex(SnpVerifier.octets(vcek, SnpVerifier.OID_BL_SPL).orElseThrow()))
        .isEqualTo(e.get("blSPL 3.1").asText());
    assertThat(HEX.formatHex(SnpVerifier.octets(vcek, SnpVerifier.OID_TEE_SPL).orElseThrow()))
        .isEqualTo(e.get("teeSPL 3.2").asText());
    assertThat(HEX.formatHex(SnpVerifier.octets(vcek, SnpVerifier.OID_SNP_SPL).orElseThrow()))
        .isEqualTo(e.get("snpSPL 3.3").asText());
    assertThat(HEX.formatHex(SnpVerifier.octets(vcek, SnpVerifier.OID_UCODE_SPL).orElseThrow()))
        .isEqualTo(e.get("ucodeSPL 3.8").asText());
    assertThat(SnpVerifier.integer(vcek, SnpVerifier.OID_UCODE_SPL).orElseThrow().intValue())
        .isEqualTo(SnpVectors.json(pair.expected()).at("/fields/reported_tcb/microcode").asInt());
  }

  @Test
  @DisplayName(
      "guest policy bits are named: the Milan vector is 0xb0000 = SMT, reserved-one, DEBUG")
  void guestPolicyBits() {
    GuestPolicy p = new GuestPolicy(0xb0000L);
    assertThat(p.smtAllowed()).isTrue();
    assertThat(p.reservedOne()).isTrue();
    assertThat(p.migrateMaAllowed()).isFalse();
    assertThat(p.debugAllowed()).isTrue();
    assertThat(p.singleSocket()).isFalse();
    assertThat(p.abiMajor()).isZero();
    GuestPolicy q =
        new GuestPolicy(
            1L << 25 | 1L << 24 | 1L << 23 | 1L << 22 | 1L << 21 | 1L << 20 | 1L << 18 | 0x0237);
    assertThat(
            q.pageSwapDisabled()
                && q.ciphertextHiding()
                && q.raplDisabled()
                && q.memAes256Xts()
                && q.cxlAllowed()
                && q.singleSocket()
                && q.migrateMaAllowed())
        .isTrue();
    assertThat(q.abiMajor()).isEqualTo(2);
    assertThat(q.abiMinor()).isEqualTo(0x37);
    assertThat(q.debugAllowed()).isFalse();
  }

  @Test
  @DisplayName(
      "TCB: Milan/Genoa fields, per-component minimum, and the Turin layout of the same u64")
  void tcbLayouts() {
    TcbVersion t = TcbVersion.ofMilanGenoa(3, 0, 8, 115);
    assertThat(t.rawHex()).isEqualTo("0300000000000873");
    assertThat(t.atLeast(TcbVersion.ofMilanGenoa(3, 0, 8, 115))).isTrue();
    assertThat(t.atLeast(TcbVersion.ofMilanGenoa(2, 0, 9, 0))).isFalse();
    // A higher raw value (microcode is the top byte) must not hide a lower SNP SVN.
    assertThat(TcbVersion.ofMilanGenoa(0, 0, 1, 200).atLeast(TcbVersion.ofMilanGenoa(0, 0, 2, 0)))
        .isFalse();
    TcbVersion turin = new TcbVersion(0x4A00_0000_0301_0205L);
    assertThat(turin.turin()).isEqualTo(new TcbVersion.Turin(0x05, 0x02, 0x01, 0x03, 0x4A));
    assertThatThrownBy(() -> TcbVersion.ofMilanGenoa(256, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "a certificate not issued by an AMD ASK is refused as PRODUCT; a Turin VCEK's report too")
  void productSelection() {
    byte[] report = SnpVectors.bytes(SnpVectors.VIRTEE.report());
    Verdict v =
        SnpVerifier.verify(
            report,
            AmdProduct.MILAN.ask(),
            Optional.empty(),
            Optional.empty(),
            AttestationPolicy.auditAnyMeasurement(),
            VALID_AT);
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Refused.class, r -> assertThat(r.failed()).isEqualTo(Check.PRODUCT));
    v =
        SnpVerifier.verify(
            report,
            SnpVectors.cert("virtee-turin-vcek.der"),
            Optional.empty(),
            Optional.empty(),
            AttestationPolicy.auditAnyMeasurement(),
            VALID_AT);
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Refused.class, r -> assertThat(r.failed()).isEqualTo(Check.PRODUCT));
  }

  @Test
  @DisplayName("random mutations of a real report are refused, never thrown and never accepted")
  void neverThrows() {
    byte[] report = SnpVectors.bytes(SnpVectors.VIRTEE.report());
    X509Certificate vcek = SnpVectors.cert(SnpVectors.VIRTEE.vcek());
    Random random = new Random(4);
    for (int i = 0; i < 300; i++) {
      byte[] b = report.clone();
      int changes = 1 + random.nextInt(4);
      for (int c = 0; c < changes; c++) {
        int at = random.nextInt(b.length);
        b[at] = (byte) (b[at] ^ (1 + random.nextInt(255)));
      }
      Verdict v =
          SnpVerifier.verify(
              b,
              vcek,
              Optional.empty(),
              Optional.empty(),
              AttestationPolicy.auditAnyMeasurement(),
              VALID_AT);
      assertThat(v).isInstanceOf(Verdict.Refused.class);
    }
  }
}
