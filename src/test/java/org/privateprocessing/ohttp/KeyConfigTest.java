package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.privateprocessing.ohttp.Vectors.hex;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyConfigTest {
  private static final String CONFIG =
      "01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb705aae8e79815500080001000100010003";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> BOTH =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  private static OhttpException.Reason reasonOf(byte[] bytes) {
    return catchThrowableOfType(OhttpException.class, () -> KeyConfig.parse(bytes)).reason();
  }

  @Test
  @DisplayName("every proper prefix of a key configuration is TRUNCATED")
  void everyPrefix_isTruncated() {
    byte[] full = hex(CONFIG);
    for (int len = 0; len < full.length; len++) {
      assertThat(reasonOf(Arrays.copyOf(full, len)))
          .as("prefix %d", len)
          .isEqualTo(OhttpException.Reason.TRUNCATED);
    }
  }

  @Test
  @DisplayName("a trailing byte after the configuration is MALFORMED")
  void trailingByte_isMalformed() {
    assertThat(reasonOf(hex(CONFIG + "00"))).isEqualTo(OhttpException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("an unknown KEM is UNSUPPORTED_KEM")
  void unknownKem_isUnsupported() {
    assertThat(reasonOf(hex("010010" + CONFIG.substring(6))))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_KEM);
  }

  @Test
  @DisplayName("an empty suite list or one whose length is not a multiple of 4 is MALFORMED")
  void badSuiteLength_isMalformed() {
    String head = CONFIG.substring(0, 6 + 64);
    assertThat(reasonOf(hex(head + "0000"))).isEqualTo(OhttpException.Reason.MALFORMED);
    assertThat(reasonOf(hex(head + "0006000100010001"))).isEqualTo(OhttpException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("unknown suites parse but are never preferred")
  void unknownSuites_parseButAreNotPreferred() throws Exception {
    KeyConfig c = KeyConfig.parse(hex(CONFIG.substring(0, 70) + "000400020002"));
    assertThat(c.suites()).containsExactly(new SymmetricSuite(2, 2));
    assertThat(KeyConfigs.preferredSuite(c)).isEmpty();
    assertThat(KeyConfigs.preferred(List.of(c))).isEmpty();
  }

  @Test
  @DisplayName("key configs compare, hash and copy by content")
  void keyConfig_valueSemantics() throws Exception {
    KeyConfig a = KeyConfig.parse(hex(CONFIG));
    KeyConfig b = KeyConfig.parse(hex(CONFIG));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    byte[] pk = a.publicKey();
    pk[0] ^= 1;
    assertThat(a).isEqualTo(b);
    assertThat(new KeyConfig(1, 0x20, pk, BOTH)).isNotEqualTo(a);
    assertThat(a.toString()).contains("keyId=1").contains("X25519");
  }

  @Test
  @DisplayName("the constructor rejects wrong key lengths, out-of-range ids and empty suites")
  void constructor_validates() {
    assertThatThrownBy(() -> new KeyConfig(1, HpkeIds.KEM_X25519_HKDF_SHA256, new byte[31], BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyConfig(256, HpkeIds.KEM_X25519_HKDF_SHA256, new byte[32], BOTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new KeyConfig(1, HpkeIds.KEM_X25519_HKDF_SHA256, new byte[32], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SymmetricSuite(0x10000, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OhttpKeyPair.generate(1, 0x10, BOTH, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                OhttpKeyPair.generate(
                    1, HpkeIds.KEM_X_WING, List.of(new SymmetricSuite(1, 2)), RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an RFC 9540 key list round-trips and preferred picks X-Wing when offered")
  void keyList_roundTripsAndPrefersXWing() throws Exception {
    KeyConfig classic =
        OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM).config();
    KeyConfig pq =
        OhttpKeyPair.generate(
                2,
                HpkeIds.KEM_X_WING,
                List.of(SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305),
                RANDOM)
            .config();
    byte[] list = KeyConfigs.encode(List.of(classic, pq));
    assertThat(list).hasSize(2 + classic.encode().length + 2 + pq.encode().length);
    List<KeyConfig> parsed = KeyConfigs.parse(list);
    assertThat(parsed).containsExactly(classic, pq);
    assertThat(KeyConfigs.preferred(parsed)).contains(pq);
    assertThat(KeyConfigs.preferredSuite(pq))
        .contains(SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);
    assertThat(KeyConfigs.preferred(List.of(classic))).contains(classic);
    assertThat(KeyConfigs.preferred(List.of())).isEmpty();
  }

  @Test
  @DisplayName("a key list skips configurations with unknown KEMs")
  void keyList_skipsUnknownKems() throws Exception {
    String unknown = "0500100102030400040001000" + "1";
    byte[] list =
        hex(
            String.format("%04x", unknown.length() / 2)
                + unknown
                + String.format("%04x", CONFIG.length() / 2)
                + CONFIG);
    assertThat(KeyConfigs.parse(list)).containsExactly(KeyConfig.parse(hex(CONFIG)));
    KeyConfig foreign = new KeyConfig(9, 0x0010, new byte[65], BOTH);
    assertThat(KeyConfigs.preferred(List.of(foreign))).isEmpty();
  }

  @Test
  @DisplayName("key list framing errors fail the whole list")
  void keyList_framingErrors() {
    byte[] good = hex(String.format("%04x", CONFIG.length() / 2) + CONFIG);
    for (int len = 1; len < good.length; len++) {
      byte[] prefix = Arrays.copyOf(good, len);
      assertThat(
              catchThrowableOfType(OhttpException.class, () -> KeyConfigs.parse(prefix)).reason())
          .as("prefix %d", len)
          .isEqualTo(OhttpException.Reason.TRUNCATED);
    }
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> KeyConfigs.parse(new byte[0]))
                .reason())
        .isEqualTo(OhttpException.Reason.MALFORMED);
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> KeyConfigs.parse(hex("0000")))
                .reason())
        .isEqualTo(OhttpException.Reason.MALFORMED);
    byte[] inconsistent = hex(String.format("%04x", CONFIG.length() / 2 + 1) + CONFIG + "00");
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> KeyConfigs.parse(inconsistent))
                .reason())
        .isEqualTo(OhttpException.Reason.MALFORMED);
  }
}
