package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

class OhttpRoundTripTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> BOTH =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  static Stream<Arguments> everySuite() {
    List<Arguments> out = new ArrayList<>();
    for (int kem : new int[] {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING}) {
      for (SymmetricSuite s : BOTH) {
        out.add(Arguments.of(HpkeIds.kemName(kem), kem, s));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {2}: request and response round-trip")
  @MethodSource("everySuite")
  void requestAndResponse_roundTripForEverySuite(String name, int kem, SymmetricSuite suite)
      throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(7, kem, BOTH, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] inner =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "model.internal",
                "/v1/generate",
                List.of(new Field("content-type", "application/json")),
                "{\"q\":\"secret\"}".getBytes(StandardCharsets.UTF_8))
            .encode();

    EncapsulatedRequest req = RequestEncapsulator.encapsulate(key.config(), suite, inner, RANDOM);
    int enc = kem == HpkeIds.KEM_X_WING ? 1120 : 32;
    assertThat(req.bytes()).hasSize(7 + enc + inner.length + 16);
    assertThat(RequestHeader.read(req.bytes()).keyId()).isEqualTo(7);

    DecapsulatedRequest got = gateway.decapsulate(req.bytes());
    assertThat(got.content()).isEqualTo(inner);
    assertThat(got.suite()).isEqualTo(suite);
    assertThat(got.keyConfig()).isEqualTo(key.config());

    byte[] response =
        BinaryHttpResponse.of(200, List.of(), "answer".getBytes(StandardCharsets.UTF_8)).encode();
    byte[] sealed = got.sealer().seal(response, RANDOM);
    int nonceLength = suite.aeadId() == HpkeIds.AEAD_AES_128_GCM ? 16 : 32;
    assertThat(sealed).hasSize(nonceLength + response.length + 16);
    assertThat(req.opener().open(sealed)).isEqualTo(response);
  }

  @ParameterizedTest(name = "{0} with {2}: custom labels must match on both sides")
  @MethodSource("everySuite")
  void customLabels_roundTrip(String name, int kem, SymmetricSuite suite) throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, kem, BOTH, RANDOM);
    EncapsulatedRequest req =
        RequestEncapsulator.encapsulate(
            key.config(),
            suite,
            new byte[] {1},
            RANDOM,
            "message/test request",
            "message/test response");
    DecapsulatedRequest got =
        RequestDecapsulator.of(key)
            .decapsulate(req.bytes(), "message/test request", "message/test response");
    assertThat(req.opener().open(got.sealer().seal(new byte[] {2}, RANDOM))).containsExactly(2);

    EncapsulatedRequest other =
        RequestEncapsulator.encapsulate(
            key.config(), suite, new byte[] {1}, RANDOM, "message/test request");
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    OhttpException.class,
                    () -> RequestDecapsulator.of(key).decapsulate(other.bytes()))
                .reason())
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("the suite-less encapsulate picks AES-128-GCM when offered")
  void encapsulate_withoutSuiteUsesPreferredSuite() throws Exception {
    OhttpKeyPair key =
        OhttpKeyPair.generate(
            3,
            HpkeIds.KEM_X_WING,
            List.of(
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305,
                SymmetricSuite.HKDF_SHA256_AES_128_GCM),
            RANDOM);
    EncapsulatedRequest req = RequestEncapsulator.encapsulate(key.config(), new byte[] {5}, RANDOM);
    assertThat(RequestDecapsulator.of(key).decapsulate(req.bytes()).suite())
        .isEqualTo(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
  }

  @Test
  @DisplayName("one gateway holds an X25519 and an X-Wing key and routes by key id")
  void gateway_routesByKeyId() throws Exception {
    OhttpKeyPair classic = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, BOTH, RANDOM);
    OhttpKeyPair pq = OhttpKeyPair.generate(2, HpkeIds.KEM_X_WING, BOTH, RANDOM);
    RequestDecapsulator gateway = new RequestDecapsulator(List.of(classic, pq));
    assertThat(gateway.configs()).containsExactly(classic.config(), pq.config());
    assertThat(gateway.hasKeyId(2)).isTrue();
    assertThat(gateway.hasKeyId(3)).isFalse();
    KeyConfig chosen =
        KeyConfigs.preferred(KeyConfigs.parse(KeyConfigs.encode(gateway.configs()))).orElseThrow();
    assertThat(chosen).isEqualTo(pq.config());
    EncapsulatedRequest req = RequestEncapsulator.encapsulate(chosen, new byte[] {9}, RANDOM);
    assertThat(gateway.decapsulate(req.bytes()).keyConfig().kemId()).isEqualTo(HpkeIds.KEM_X_WING);
  }

  @Test
  @DisplayName(
      "an X-Wing key imported from its seed decapsulates what was sent to the generated key")
  void xWingKey_importsFromSeed() throws Exception {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    OhttpKeyPair a = OhttpKeyPair.fromPrivateKey(4, HpkeIds.KEM_X_WING, seed, BOTH);
    OhttpKeyPair b = OhttpKeyPair.fromPrivateKey(4, HpkeIds.KEM_X_WING, seed, BOTH);
    assertThat(a.config()).isEqualTo(b.config());
    assertThat(a.config().publicKey()).hasSize(1216);
    byte[] eseed = new byte[64];
    EncapsulatedRequest r1 =
        RequestEncapsulator.encapsulateWithEphemeralKey(
            a.config(), SymmetricSuite.HKDF_SHA256_AES_128_GCM, new byte[] {1}, eseed);
    EncapsulatedRequest r2 =
        RequestEncapsulator.encapsulateWithEphemeralKey(
            a.config(), SymmetricSuite.HKDF_SHA256_AES_128_GCM, new byte[] {1}, eseed);
    assertThat(r1.bytes()).isEqualTo(r2.bytes());
    assertThat(RequestDecapsulator.of(b).decapsulate(r1.bytes()).content()).containsExactly(1);
  }

  @Test
  @DisplayName("the key pair's toString shows the config but never the private key")
  void keyPair_toStringHidesPrivateKey() {
    byte[] sk = Vectors.hex("3c168975674b2fa8e465970b79c8dcf09f1c741626480bd4c6162fc5b6a98e1a");
    OhttpKeyPair key = OhttpKeyPair.fromPrivateKey(1, HpkeIds.KEM_X25519_HKDF_SHA256, sk, BOTH);
    assertThat(key.toString())
        .contains("keyId=1")
        .doesNotContain("3c1689")
        .doesNotContain("38168975");
  }
}
