package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OhttpNegativeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> AES = List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
  private static final byte[] REQUEST =
      "request body".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static OhttpException.Reason decapsulateReason(
      RequestDecapsulator gateway, byte[] bytes) {
    return catchThrowableOfType(OhttpException.class, () -> gateway.decapsulate(bytes)).reason();
  }

  @ParameterizedTest(name = "KEM 0x{0}")
  @ValueSource(ints = {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING})
  @DisplayName(
      "every truncation of an encapsulated request is TRUNCATED or DECRYPTION_FAILED, never another exception")
  void truncatedRequest_isRejected(int kem) throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, kem, AES, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] full = RequestEncapsulator.encapsulate(key.config(), REQUEST, RANDOM).bytes();
    int minimum = 7 + Hpke.encLength(kem) + 16;
    for (int len = 0; len < full.length; len++) {
      OhttpException.Reason r = decapsulateReason(gateway, Arrays.copyOf(full, len));
      assertThat(r)
          .as("length %d", len)
          .isEqualTo(
              len < minimum
                  ? OhttpException.Reason.TRUNCATED
                  : OhttpException.Reason.DECRYPTION_FAILED);
    }
  }

  @Test
  @DisplayName("the key id of an empty request is TRUNCATED")
  void keyIdOfEmpty_isTruncated() {
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> RequestHeader.read(new byte[0]))
                .reason())
        .isEqualTo(OhttpException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName("an unknown key id, a mismatched KEM and an unoffered suite are each named")
  void headerChecks_haveSpecificReasons() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, AES, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] good = RequestEncapsulator.encapsulate(key.config(), REQUEST, RANDOM).bytes();

    byte[] wrongId = good.clone();
    wrongId[0] = 2;
    assertThat(decapsulateReason(gateway, wrongId)).isEqualTo(OhttpException.Reason.UNKNOWN_KEY_ID);

    byte[] wrongKem = good.clone();
    wrongKem[1] = 0x64;
    wrongKem[2] = 0x7A;
    assertThat(decapsulateReason(gateway, wrongKem))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_KEM);

    byte[] chacha = good.clone();
    chacha[6] = 3; // ChaCha20Poly1305 is supported but not offered by this key
    assertThat(decapsulateReason(gateway, chacha))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);

    byte[] unknownAead = good.clone();
    unknownAead[6] = 2;
    assertThat(decapsulateReason(gateway, unknownAead))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);

    byte[] unknownKdf = good.clone();
    unknownKdf[4] = 2;
    assertThat(decapsulateReason(gateway, unknownKdf))
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
  }

  @ParameterizedTest(name = "KEM 0x{0}")
  @ValueSource(ints = {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING})
  @DisplayName("a flipped byte in the encapsulated key or ciphertext is DECRYPTION_FAILED")
  void flippedByte_failsDecryption(int kem) throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, kem, AES, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] good = RequestEncapsulator.encapsulate(key.config(), REQUEST, RANDOM).bytes();
    for (int pos :
        new int[] {7, 7 + Hpke.encLength(kem) - 1, 7 + Hpke.encLength(kem), good.length - 1}) {
      byte[] bad = good.clone();
      bad[pos] ^= 0x01;
      assertThat(decapsulateReason(gateway, bad))
          .as("position %d", pos)
          .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
    }
  }

  @Test
  @DisplayName("an all-zero X25519 encapsulated key (low-order point) is DECRYPTION_FAILED")
  void lowOrderEnc_failsDecryption() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, AES, RANDOM);
    byte[] good = RequestEncapsulator.encapsulate(key.config(), REQUEST, RANDOM).bytes();
    Arrays.fill(good, 7, 39, (byte) 0);
    assertThat(decapsulateReason(RequestDecapsulator.of(key), good))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("a request for another gateway's key with the same id is DECRYPTION_FAILED")
  void otherGatewaysKey_failsDecryption() throws Exception {
    OhttpKeyPair mine = OhttpKeyPair.generate(1, HpkeIds.KEM_X_WING, AES, RANDOM);
    OhttpKeyPair theirs = OhttpKeyPair.generate(1, HpkeIds.KEM_X_WING, AES, RANDOM);
    byte[] req = RequestEncapsulator.encapsulate(theirs.config(), REQUEST, RANDOM).bytes();
    assertThat(decapsulateReason(RequestDecapsulator.of(mine), req))
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("the client refuses unknown KEMs and suites the config does not offer")
  void client_refusesUnsupportedConfigs() {
    KeyConfig foreign = new KeyConfig(9, 0x0010, new byte[65], AES);
    assertThat(
            catchThrowableOfType(
                    OhttpException.class,
                    () -> RequestEncapsulator.encapsulate(foreign, REQUEST, RANDOM))
                .reason())
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_KEM);
    KeyConfig aesOnly =
        OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, AES, RANDOM).config();
    assertThat(
            catchThrowableOfType(
                    OhttpException.class,
                    () ->
                        RequestEncapsulator.encapsulate(
                            aesOnly, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305, REQUEST, RANDOM))
                .reason())
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
    KeyConfig unknownSuite =
        new KeyConfig(
            1,
            HpkeIds.KEM_X25519_HKDF_SHA256,
            aesOnly.publicKey(),
            List.of(new SymmetricSuite(1, 2)));
    assertThat(
            catchThrowableOfType(
                    OhttpException.class,
                    () -> RequestEncapsulator.encapsulate(unknownSuite, REQUEST, RANDOM))
                .reason())
        .isEqualTo(OhttpException.Reason.UNSUPPORTED_SUITE);
  }

  @Test
  @DisplayName("duplicate key ids are rejected when building a gateway")
  void duplicateKeyIds_areRejected() {
    OhttpKeyPair a = OhttpKeyPair.generate(5, HpkeIds.KEM_X25519_HKDF_SHA256, AES, RANDOM);
    OhttpKeyPair b = OhttpKeyPair.generate(5, HpkeIds.KEM_X_WING, AES, RANDOM);
    assertThatThrownBy(() -> RequestDecapsulator.of(a, b))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class Exchange {
    final EncapsulatedRequest client;
    final DecapsulatedRequest server;

    Exchange(int kem, SymmetricSuite suite) throws OhttpException {
      OhttpKeyPair key =
          OhttpKeyPair.generate(
              1,
              kem,
              List.of(
                  SymmetricSuite.HKDF_SHA256_AES_128_GCM,
                  SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305),
              RANDOM);
      client = RequestEncapsulator.encapsulate(key.config(), suite, REQUEST, RANDOM);
      server = RequestDecapsulator.of(key).decapsulate(client.bytes());
    }
  }

  @Test
  @DisplayName("a response cannot be sealed twice, even with a fixed nonce")
  void sealTwice_isIllegalState() throws Exception {
    Exchange x =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    x.server.sealer().seal(new byte[] {1}, RANDOM);
    assertThat(x.server.sealer().isUsed()).isTrue();
    assertThatThrownBy(() -> x.server.sealer().seal(new byte[] {1}, RANDOM))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> x.server.sealer().seal(new byte[] {1}, new byte[16]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("a wrong-length fixed response nonce is rejected without consuming the sealer")
  void wrongNonceLength_isRejected() throws Exception {
    Exchange x =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);
    assertThatThrownBy(() -> x.server.sealer().seal(new byte[] {1}, new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(x.client.opener().open(x.server.sealer().seal(new byte[] {1}, new byte[32])))
        .containsExactly(1);
  }

  @Test
  @DisplayName("only one of many racing threads can seal the response")
  void concurrentSeal_onlyOneWins() throws Exception {
    Exchange x =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  x.server.sealer().seal(new byte[] {1}, RANDOM);
                  return true;
                } catch (IllegalStateException e) {
                  return false;
                }
              }));
    }
    start.countDown();
    int wins = 0;
    for (Future<Boolean> f : results) {
      wins += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(wins).isEqualTo(1);
  }

  @Test
  @DisplayName("a response cannot be opened twice, even after a failed open")
  void openTwice_isIllegalState() throws Exception {
    Exchange x = new Exchange(HpkeIds.KEM_X_WING, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    byte[] sealed = x.server.sealer().seal(new byte[] {1}, RANDOM);
    assertThat(x.client.opener().open(sealed)).containsExactly(1);
    assertThatThrownBy(() -> x.client.opener().open(sealed))
        .isInstanceOf(IllegalStateException.class);

    Exchange y = new Exchange(HpkeIds.KEM_X_WING, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> y.client.opener().open(new byte[3]))
                .reason())
        .isEqualTo(OhttpException.Reason.TRUNCATED);
    assertThatThrownBy(() -> y.client.opener().open(new byte[3]))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest(name = "byte {0} of the response")
  @ValueSource(ints = {0, 15, 16, -1})
  @DisplayName("a response with a tampered nonce or ciphertext is DECRYPTION_FAILED")
  void tamperedResponse_failsDecryption(int position) throws Exception {
    Exchange x =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    byte[] sealed = x.server.sealer().seal(new byte[] {1, 2, 3}, RANDOM);
    sealed[position < 0 ? sealed.length - 1 : position] ^= (byte) 0x80;
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> x.client.opener().open(sealed))
                .reason())
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("a response for a different request does not open")
  void crossedResponses_failDecryption() throws Exception {
    Exchange a =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    Exchange b =
        new Exchange(HpkeIds.KEM_X25519_HKDF_SHA256, SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    byte[] forB = b.server.sealer().seal(new byte[] {1}, RANDOM);
    assertThat(
            catchThrowableOfType(OhttpException.class, () -> a.client.opener().open(forB)).reason())
        .isEqualTo(OhttpException.Reason.DECRYPTION_FAILED);
  }

  @Test
  @DisplayName("exception messages never contain the plaintext")
  void exceptionMessages_doNotLeakPlaintext() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, AES, RANDOM);
    byte[] good = RequestEncapsulator.encapsulate(key.config(), REQUEST, RANDOM).bytes();
    good[good.length - 1] ^= 1;
    OhttpException e =
        catchThrowableOfType(
            OhttpException.class, () -> RequestDecapsulator.of(key).decapsulate(good));
    assertThat(e.getMessage()).doesNotContain("request body");
    assertThat(e.getStackTrace()).isEmpty();
  }
}
