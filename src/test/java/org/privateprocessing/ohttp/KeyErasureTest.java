package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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

  @Test
  @DisplayName("a destroyed X25519 key has a zero scalar and opens nothing")
  void destroy_zeroesTheX25519Scalar() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(0, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, RANDOM);
    RequestDecapsulator gateway = RequestDecapsulator.of(key);
    byte[] request = RequestEncapsulator.encapsulate(key.config(), new byte[] {1}, RANDOM).bytes();
    assertThat(gateway.decapsulate(request).content()).containsExactly(1);
    X25519PrivateKeyParameters scalar =
        (X25519PrivateKeyParameters) key.hpkeKeyPair().keys.getPrivate();
    assertThat(allZero(scalar.getEncoded())).isFalse();
    assertThat(key.isDestroyed()).isFalse();

    key.destroy();

    assertThat(key.isDestroyed()).isTrue();
    assertThat(scalar.getEncoded()).containsOnly(0);
    assertThatThrownBy(() -> gateway.decapsulate(request)).isInstanceOf(OhttpException.class);
  }

  @Test
  @DisplayName("a destroyed X-Wing key has a zero seed, ML-KEM key and X25519 scalar")
  void destroy_zeroesEveryPartOfAnXWingKey() throws Exception {
    OhttpKeyPair key = OhttpKeyPair.generate(1, HpkeIds.KEM_X_WING, SUITES, RANDOM);
    XWingPrivateKeyParameters xwing =
        (XWingPrivateKeyParameters) key.hpkeKeyPair().keys.getPrivate();
    assertThat(allZero(xwing.getSeed())).isFalse();

    RequestDecapsulator.of(key).destroy();

    assertThat(key.isDestroyed()).isTrue();
    assertThat(xwing.getSeed()).containsOnly(0);
    assertThat(KeyErasure.isErased(xwing)).isTrue();
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
