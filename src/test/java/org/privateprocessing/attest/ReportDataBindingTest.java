package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportDataBindingTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEYS = {1, 2};
  private static final byte[] SPKI = {10, 11, 12};
  private static final byte[] NONCE = "abcd".getBytes(StandardCharsets.US_ASCII);

  @Test
  @DisplayName(
      "the encoding is label || 0x00 || u32be length-prefixed key configs, TLS SPKI and nonce")
  void encodingByHand() {
    // "private-processing/v1/report-data" in ASCII, then 00,
    // 00000002 0102 (key configs), 00000003 0a0b0c (SPKI), 00000004 61626364 ("abcd").
    String expected =
        "707269766174652d70726f63657373696e672f76312f7265706f72742d64617461"
            + "00"
            + "00000002"
            + "0102"
            + "00000003"
            + "0a0b0c"
            + "00000004"
            + "61626364";
    assertThat(HEX.formatHex(ReportDataBinding.encoding(KEYS, SPKI, NONCE))).isEqualTo(expected);
  }

  @Test
  @DisplayName("known answer: SHA-512 of the encoding (computed independently with Python hashlib)")
  void knownAnswer() {
    byte[] rd = ReportDataBinding.compute(KEYS, SPKI, NONCE);
    assertThat(rd).hasSize(64);
    assertThat(HEX.formatHex(rd))
        .isEqualTo(
            "a7a77622e56bfa2862b170c0bd272b866ef1018e00a3dc8586fc03415a0e27a9"
                + "345b50bfa9f7e2fddadd5e4a6aa8c3873f90790320f00cc1e8e73a7e1e4775d5");
  }

  @Test
  @DisplayName("changing any input, or any single bit of one, changes REPORT_DATA")
  void everyInputMatters() {
    Set<String> seen = new HashSet<>();
    seen.add(HEX.formatHex(ReportDataBinding.compute(KEYS, SPKI, NONCE)));
    byte[][] inputs = {KEYS, SPKI, NONCE};
    for (int which = 0; which < 3; which++) {
      for (int bit = 0; bit < inputs[which].length * 8; bit++) {
        byte[][] copy = {KEYS.clone(), SPKI.clone(), NONCE.clone()};
        copy[which][bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(seen.add(HEX.formatHex(ReportDataBinding.compute(copy[0], copy[1], copy[2]))))
            .isTrue();
      }
    }
    assertThat(seen.add(HEX.formatHex(ReportDataBinding.compute(KEYS, SPKI, new byte[0]))))
        .isTrue();
    assertThat(seen.add(HEX.formatHex(ReportDataBinding.compute(KEYS, SPKI, new byte[1]))))
        .isTrue();
  }

  @Test
  @DisplayName("lengths cannot be confused: (ab, c) and (a, bc) bind differently, in any position")
  void lengthsNotConfused() {
    byte[] ab = {'a', 'b'};
    byte[] c = {'c'};
    byte[] a = {'a'};
    byte[] bc = {'b', 'c'};
    byte[] empty = {};
    assertThat(ReportDataBinding.compute(ab, c, empty))
        .isNotEqualTo(ReportDataBinding.compute(a, bc, empty));
    assertThat(ReportDataBinding.compute(empty, ab, c))
        .isNotEqualTo(ReportDataBinding.compute(empty, a, bc));
    assertThat(ReportDataBinding.compute(ab, empty, c))
        .isNotEqualTo(ReportDataBinding.compute(a, empty, bc));
    assertThat(ReportDataBinding.compute(ab, empty, empty))
        .isNotEqualTo(ReportDataBinding.compute(empty, ab, empty));
  }

  @Test
  @DisplayName("a TLS public key binds as its SubjectPublicKeyInfo DER")
  void publicKeyOverload() throws Exception {
    var g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    java.security.PublicKey key = g.generateKeyPair().getPublic();
    assertThat(ReportDataBinding.compute(KEYS, key, NONCE))
        .isEqualTo(ReportDataBinding.compute(KEYS, key.getEncoded(), NONCE));
  }

  @Test
  @DisplayName("matches compares a report's REPORT_DATA with the binding")
  void matches() throws Exception {
    SnpReport real = SnpReport.parse(SnpVectors.bytes(SnpVectors.VIRTEE.report()));
    assertThat(ReportDataBinding.matches(real, KEYS, SPKI, NONCE)).isFalse();
  }
}
