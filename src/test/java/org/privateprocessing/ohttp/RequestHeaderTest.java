package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 7-byte request header (RFC 9458 section 4.3): vector, round trips, every refusal. */
class RequestHeaderTest {
  private static final JsonNode V = Vectors.load("ohttp/rfc9458-a.json");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final RequestHeader VECTOR_HEADER =
      new RequestHeader(
          1, HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_AES_128_GCM);

  private static OhttpException.Reason reasonOf(ThrowingParse parse) {
    return catchThrowableOfType(OhttpException.class, parse::run).reason();
  }

  @FunctionalInterface
  private interface ThrowingParse {
    void run() throws Exception;
  }

  @Test
  @DisplayName(
      "the RFC 9458 appendix A request starts with key id 1, X25519, HKDF-SHA256, AES-128-GCM")
  void read_rfc9458Request_yieldsTheVectorHeader() throws Exception {
    byte[] request = hex(V.get("encapsulated_request"));
    RequestHeader header = RequestHeader.read(request);
    assertThat(header).isEqualTo(VECTOR_HEADER);
    assertThat(header.suite()).isEqualTo(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    assertThat(hex(header.encode()))
        .isEqualTo(hex(Arrays.copyOf(request, RequestHeader.LENGTH)))
        .isEqualTo("01002000010001");
  }

  @Test
  @DisplayName("the header built from the vector's key config and suite is the one on the wire")
  void of_vectorKeyConfig_encodesTheVectorBytes() throws Exception {
    KeyConfig config = KeyConfig.parse(hex(V.get("key_config")));
    RequestHeader header = RequestHeader.of(config, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    assertThat(header).isEqualTo(VECTOR_HEADER);
    assertThat(hex(V.get("encapsulated_request")))
        .startsWith(header.encode())
        .hasSizeGreaterThan(RequestHeader.LENGTH);
    // hpke_info = "message/bhttp request" || 0x00 || hdr
    byte[] info = hex(V.get("hpke_info"));
    assertThat(Arrays.copyOfRange(info, info.length - RequestHeader.LENGTH, info.length))
        .isEqualTo(header.encode());
    assertThatCode(() -> header.requireMatches(config)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("parse and encode round-trip at the extremes of every field")
  void parse_encode_roundTrips() throws Exception {
    for (RequestHeader h :
        List.of(
            VECTOR_HEADER,
            new RequestHeader(0, 0, 0, 0),
            new RequestHeader(255, 0xFFFF, 0xFFFF, 0xFFFF),
            new RequestHeader(
                0x80,
                HpkeIds.KEM_X_WING,
                HpkeIds.KDF_HKDF_SHA256,
                HpkeIds.AEAD_CHACHA20_POLY1305))) {
      byte[] bytes = h.encode();
      assertThat(bytes).hasSize(RequestHeader.LENGTH);
      assertThat(RequestHeader.parse(bytes)).isEqualTo(h);
      assertThat(RequestHeader.read(bytes)).isEqualTo(h);
    }
  }

  @Test
  @DisplayName("a client's encapsulated request starts with the header of its key and suite")
  void encapsulatedRequest_startsWithItsHeader() throws Exception {
    for (int kem : new int[] {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING}) {
      OhttpKeyPair key =
          OhttpKeyPair.generate(
              42, kem, List.of(SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305), RANDOM);
      byte[] request =
          RequestEncapsulator.encapsulate(key.config(), new byte[] {1, 2}, RANDOM).bytes();
      assertThat(RequestHeader.read(request))
          .isEqualTo(RequestHeader.of(key.config(), SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
  @DisplayName("fewer than 7 bytes are TRUNCATED, as a header and as a request")
  void shortInput_isTruncated(int length) {
    byte[] bytes = Arrays.copyOf(VECTOR_HEADER.encode(), length);
    assertThat(reasonOf(() -> RequestHeader.parse(bytes)))
        .isEqualTo(OhttpException.Reason.TRUNCATED);
    assertThat(reasonOf(() -> RequestHeader.read(bytes)))
        .isEqualTo(OhttpException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName(
      "a header followed by more bytes is MALFORMED as a header, but readable as a request")
  void trailingBytes_areMalformedForParseOnly() throws Exception {
    byte[] longer = Arrays.copyOf(VECTOR_HEADER.encode(), RequestHeader.LENGTH + 1);
    OhttpException e =
        catchThrowableOfType(OhttpException.class, () -> RequestHeader.parse(longer));
    assertThat(e.reason()).isEqualTo(OhttpException.Reason.MALFORMED);
    assertThat(e.getMessage()).contains("7 bytes, not 8");
    assertThat(RequestHeader.read(longer)).isEqualTo(VECTOR_HEADER);
  }

  @Test
  @DisplayName("null input is a programming error, not a protocol failure")
  void nullInput_throwsNullPointer() {
    assertThatThrownBy(() -> RequestHeader.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RequestHeader.read(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RequestHeader.of(null, SymmetricSuite.HKDF_SHA256_AES_128_GCM))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  @DisplayName("field values outside their widths are refused when the header is built")
  void outOfRangeFields_areRefused() {
    assertThatThrownBy(() -> new RequestHeader(256, 0x20, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8-bit");
    assertThatThrownBy(() -> new RequestHeader(-1, 0x20, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestHeader(1, 0x10000, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16-bit");
    assertThatThrownBy(() -> new RequestHeader(1, 0x20, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestHeader(1, 0x20, 1, 0x10000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("another key id, another KEM, an unoffered or unknown suite are each named")
  void requireMatches_namesEachMismatch() throws Exception {
    KeyConfig config = KeyConfig.parse(hex(V.get("key_config"))); // offers AES and ChaCha
    assertThat(reasonOf(() -> new RequestHeader(2, 0x20, 1, 1).requireMatches(config)))
        .isEqualTo(OhttpException.Reason.UNKNOWN_KEY_ID);
    assertThat(
            reasonOf(() -> new RequestHeader(1, HpkeIds.KEM_X_WING, 1, 1).requireMatches(config)))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_KEM);
    assertThat(reasonOf(() -> new RequestHeader(1, 0x20, 1, 2).requireMatches(config)))
        .as("AES-256-GCM: not run here")
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
    assertThat(reasonOf(() -> new RequestHeader(1, 0x20, 2, 1).requireMatches(config)))
        .as("HKDF-SHA384: not run here")
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
    KeyConfig aesOnly =
        new KeyConfig(
            1, config.kemId(), config.publicKey(), List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM));
    assertThat(reasonOf(() -> new RequestHeader(1, 0x20, 1, 3).requireMatches(aesOnly)))
        .as("ChaCha20Poly1305: run here, not offered by this key")
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
    assertThatCode(() -> new RequestHeader(1, 0x20, 1, 3).requireMatches(config))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("the description names the key and the algorithms")
  void toString_namesAlgorithms() {
    assertThat(VECTOR_HEADER.toString())
        .isEqualTo("RequestHeader[keyId=1, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256/AES-128-GCM]");
  }
}
