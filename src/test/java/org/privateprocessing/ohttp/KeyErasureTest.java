package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Destroying a key zeroes its private bytes where the backend keeps them (issue #14, finding 6).
 */
class KeyErasureTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** Every KEM on every backend that runs here. */
  static Stream<Arguments> kemsAndBackends() {
    return HpkeBackends.stream()
        .flatMap(
            b ->
                Stream.of(HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING)
                    .map(kem -> Arguments.of(HpkeIds.kemName(kem) + " on " + b.name(), kem, b)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kemsAndBackends")
  @DisplayName("a destroyed key reads back as zeros and opens nothing, on every backend")
  void destroy_clearsTheKeyOnEveryBackend(String name, int kem, HpkeBackend backend)
      throws Exception {
    byte[] sk = new byte[Hpke.privateKeyLength(kem)];
    RANDOM.nextBytes(sk);
    Hpke.KeyPair key = Hpke.keyPairFromPrivateKey(backend, kem, sk);
    int aead = HpkeIds.AEAD_AES_128_GCM;
    int kdf = HpkeIds.KDF_HKDF_SHA256;
    Hpke.Sender s = Hpke.setupBaseS(kem, kdf, aead, key.publicKey(), new byte[0], RANDOM);
    assertThat(Hpke.setupBaseR(kdf, aead, key, s.enc, new byte[0])).isNotNull();
    assertThat(key.isDestroyed()).isFalse();

    key.destroy();

    assertThat(key.isDestroyed()).isTrue();
    Hpke.Context after = Hpke.setupBaseR(kdf, aead, key, s.enc, new byte[0]);
    byte[] ct = s.context.seal(new byte[0], new byte[] {7});
    assertThat(after == null ? null : after.open(new byte[0], ct)).isNull();
  }

  @Test
  @DisplayName("a destroyed X25519 key has a zero scalar and opens nothing")
  void destroy_zeroesTheX25519Scalar() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(0, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] request = RequestEncapsulator.encapsulate(key.config(), new byte[] {1}, RANDOM).bytes();
    assertThat(gateway.decapsulate(request).content()).containsExactly(1);
    assertThat(key.isDestroyed()).isFalse();

    key.destroy();

    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(() -> gateway.decapsulate(request)).isInstanceOf(OhttpException.class);
  }

  @Test
  @DisplayName("BouncyCastle: the scalar array itself is zeroed")
  void destroy_zeroesBouncyCastlesScalarArray() throws Exception {
    byte[] sk = new byte[32];
    RANDOM.nextBytes(sk);
    Hpke.KeyPair key =
        Hpke.keyPairFromPrivateKey(HpkeBackends.BOUNCY_CASTLE, HpkeIds.KEM_X25519_HKDF_SHA256, sk);
    X25519PrivateKeyParameters scalar =
        (X25519PrivateKeyParameters) bouncyCastleKeys(key).getPrivate();
    assertThat(allZero(scalar.getEncoded())).isFalse();

    key.destroy();

    assertThat(scalar.getEncoded()).containsOnly(0);
  }

  @Test
  @DisplayName("BouncyCastle: a destroyed X-Wing key has a zero seed, ML-KEM key and X25519 scalar")
  void destroy_zeroesEveryPartOfAnXWingKey() throws Exception {
    byte[] sk = new byte[32];
    RANDOM.nextBytes(sk);
    Hpke.KeyPair key =
        Hpke.keyPairFromPrivateKey(HpkeBackends.BOUNCY_CASTLE, HpkeIds.KEM_X_WING, sk);
    XWingPrivateKeyParameters xwing =
        (XWingPrivateKeyParameters) bouncyCastleKeys(key).getPrivate();
    assertThat(allZero(xwing.getSeed())).isFalse();

    key.destroy();

    assertThat(xwing.getSeed()).containsOnly(0);
    assertThat(KeyErasure.isErased(xwing)).isTrue();
  }

  /** The BouncyCastle backend's key objects (its key pair class is private to it). */
  private static AsymmetricCipherKeyPair bouncyCastleKeys(Hpke.KeyPair key) throws Exception {
    Field f = key.getClass().getDeclaredField("keys");
    f.setAccessible(true);
    return (AsymmetricCipherKeyPair) f.get(key);
  }

  @Test
  @DisplayName("destroying one key leaves the others, and a second destroy is harmless")
  void destroy_isPerKeyAndIdempotent() throws Exception {
    OhttpKeyPair gone = OhttpKeyPair.generate(0, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
    OhttpKeyPair kept = OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
    gone.destroy();
    gone.destroy();
    assertThat(gone.isDestroyed()).isTrue();
    assertThat(kept.isDestroyed()).isFalse();
    byte[] request = RequestEncapsulator.encapsulate(kept.config(), new byte[] {2}, RANDOM).bytes();
    assertThat(RequestDecapsulator.of(kept).decapsulate(request).content()).containsExactly(2);
  }
}
