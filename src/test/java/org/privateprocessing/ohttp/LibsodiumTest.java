package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JNA binding: it agrees with BouncyCastle's X25519, including on points of small order. */
class LibsodiumTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeEach
  void requireLibsodium() {
    assumeThat(HpkeBackends.libsodium()).isNotNull();
  }

  @Test
  @DisplayName("load describes the library and is idempotent")
  void load_describesLibrary() {
    String first = Libsodium.load();
    assertThat(first).startsWith("libsodium 1.").contains("libsodium.so");
    assertThat(Libsodium.load()).isSameAs(first);
  }

  @Test
  @DisplayName("the built-in known-answer values are RFC 7748's, as BouncyCastle computes them")
  void knownAnswer_matchesBouncyCastle() {
    HexFormat hex = HexFormat.of();
    byte[] out = new byte[32];
    X25519.scalarMult(
        hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
        0,
        hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"),
        0,
        out,
        0);
    assertThat(hex.formatHex(out))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  }

  @Test
  @DisplayName("random scalars and points give BouncyCastle's results, from heap and off-heap keys")
  void x25519_agreesWithBouncyCastle() {
    for (int i = 0; i < 200; i++) {
      byte[] k = new byte[32];
      byte[] u = new byte[32];
      RANDOM.nextBytes(k);
      RANDOM.nextBytes(u); // any 32 bytes, the top bit included, as RFC 7748 requires
      byte[] expected = new byte[32];
      X25519.scalarMult(k, 0, u, 0, expected, 0);
      byte[] out = new byte[32];
      assertThat(Libsodium.x25519(out, k, u)).isTrue();
      assertThat(out).isEqualTo(expected);
      byte[] offHeap = new byte[32];
      assertThat(Libsodium.x25519(offHeap, new Libsodium.Scalar(k), u)).isTrue();
      assertThat(offHeap).isEqualTo(expected);
      byte[] pub = new byte[32];
      X25519.scalarMultBase(k, 0, pub, 0);
      assertThat(Libsodium.x25519Base(k)).isEqualTo(pub);
    }
  }

  @Test
  @DisplayName("a point of small order reports failure instead of an all-zero secret")
  void smallOrderPoint_fails() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    byte[] out = new byte[32];
    assertThat(Libsodium.x25519(out, k, new byte[32])).isFalse();
    byte[] one = new byte[32];
    one[0] = 1;
    assertThat(Libsodium.x25519(out, new Libsodium.Scalar(k), one)).isFalse();
  }
}
