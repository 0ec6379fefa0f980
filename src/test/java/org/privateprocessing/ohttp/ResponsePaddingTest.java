package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

class ResponsePaddingTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> BOTH =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  @Test
  @DisplayName(
      "lengths go to the smallest bucket that holds them, then to multiples of the largest")
  void paddedLength_followsBuckets() {
    ResponsePadding p = ResponsePadding.parse("1k,4k");
    assertThat(p.paddedLength(0)).isEqualTo(1024);
    assertThat(p.paddedLength(1024)).isEqualTo(1024);
    assertThat(p.paddedLength(1025)).isEqualTo(4096);
    assertThat(p.paddedLength(4097)).isEqualTo(8192);
    assertThat(p.paddedLength(12289)).isEqualTo(16384);
    assertThat(ResponsePadding.NONE.paddedLength(77)).isEqualTo(77);
    assertThat(ResponsePadding.NONE.isEnabled()).isFalse();
    byte[] b = {1, 2};
    assertThat(ResponsePadding.NONE.pad(b)).isSameAs(b);
    assertThat(p.pad(b)).hasSize(1024).startsWith(1, 2).endsWith(0, 0);
  }

  @Test
  @DisplayName("the configuration form parses and prints back; bad values name the fix")
  void parse_readsConfigurationAndRefusesNonsense() {
    assertThat(ResponsePadding.parse("none")).isEqualTo(ResponsePadding.NONE);
    assertThat(ResponsePadding.parse(" Default ")).isEqualTo(ResponsePadding.DEFAULT);
    assertThat(ResponsePadding.parse("512, 2k")).isEqualTo(new ResponsePadding(List.of(512, 2048)));
    assertThat(ResponsePadding.DEFAULT).hasToString("1k,2k,4k,8k,16k,32k,64k");
    assertThat(ResponsePadding.parse(ResponsePadding.DEFAULT.toString()))
        .isEqualTo(ResponsePadding.DEFAULT);
    for (String bad : List.of("", "1k,,4k", "-5", "4k,1k", "1m", "0", "99999999999", "k")) {
      assertThatThrownBy(() -> ResponsePadding.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1k,4k,16k,64k")
          .satisfiesAnyOf(
              e -> assertThat(e.getMessage()).contains("is not a size"),
              e -> assertThat(e.getMessage()).contains("strictly increasing"));
    }
  }

  @Test
  @DisplayName(
      "answers of 300 lengths up to 60000 bytes, sealed with the default padding, show at most 7 sizes; the client gets each answer back exactly")
  void paddedAnswers_showFewSizes() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);
    RequestDecapsulator plain = RequestDecapsulator.of(key);
    RequestDecapsulator padded = plain.withResponsePadding(ResponsePadding.DEFAULT);
    assertThat(padded.configs()).isEqualTo(plain.configs());
    assertThat(padded.responsePadding()).isEqualTo(ResponsePadding.DEFAULT);
    Set<Integer> paddedSizes = new HashSet<>();
    Set<Integer> plainSizes = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      int length = 1 + i * 67 % 60000;
      BinaryHttpResponse answer =
          BinaryHttpResponse.of(
              200,
              List.of(new Field("content-type", "application/json")),
              "x".repeat(length).getBytes(StandardCharsets.US_ASCII));
      for (boolean pad : new boolean[] {true, false}) {
        EncapsulatedRequest req =
            RequestEncapsulator.encapsulate(key.config(), "q".getBytes(), RANDOM);
        byte[] sealed =
            (pad ? padded : plain).decapsulate(req.bytes()).sealer().seal(answer.encode(), RANDOM);
        (pad ? paddedSizes : plainSizes).add(sealed.length);
        assertThat(BinaryHttpResponse.parse(req.opener().open(sealed))).isEqualTo(answer);
      }
    }
    assertThat(plainSizes).hasSize(300);
    assertThat(paddedSizes).hasSizeLessThanOrEqualTo(7);
  }
}
