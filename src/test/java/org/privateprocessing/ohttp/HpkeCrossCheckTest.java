package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One backend seals, the other opens, for every suite and in both directions; and both refuse the
 * same bad inputs in the same way. The keys are the same bytes imported into each backend.
 */
class HpkeCrossCheckTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KDF = HpkeIds.KDF_HKDF_SHA256;
  private static final byte[] NONE = new byte[0];
  private static HpkeBackend libsodium;

  @BeforeAll
  static void loadLibsodium() {
    libsodium = HpkeBackends.libsodium();
  }

  private static List<HpkeBackend> pair(boolean bouncyCastleSends) {
    return bouncyCastleSends
        ? List.of(HpkeBackends.BOUNCY_CASTLE, libsodium)
        : List.of(libsodium, HpkeBackends.BOUNCY_CASTLE);
  }

  /** Every KEM x AEAD, each in both directions. */
  static Stream<Arguments> suitesAndDirections() {
    List<Arguments> out = new ArrayList<>();
    for (int kem : new int[] {HpkeIds.KEM_X25519_HKDF_SHA256, HpkeIds.KEM_X_WING}) {
      for (int aead : new int[] {HpkeIds.AEAD_AES_128_GCM, HpkeIds.AEAD_CHACHA20_POLY1305}) {
        for (boolean bcSends : new boolean[] {true, false}) {
          out.add(
              Arguments.of(
                  HpkeIds.kemName(kem)
                      + ", "
                      + HpkeIds.aeadName(aead)
                      + (bcSends
                          ? ", BouncyCastle seals, libsodium opens"
                          : ", libsodium seals, BouncyCastle opens"),
                  kem,
                  aead,
                  bcSends));
        }
      }
    }
    return out.stream();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static int ephemeralLength(int kem) {
    return kem == HpkeIds.KEM_X_WING ? Hpke.X_WING_ESEED_LENGTH : 32;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("suitesAndDirections")
  void requestAndResponse_crossBetweenBackends(String name, int kem, int aead, boolean bcSends) {
    assumeThat(libsodium).isNotNull();
    HpkeBackend sender = pair(bcSends).get(0);
    HpkeBackend receiver = pair(bcSends).get(1);
    byte[] sk = random(32);
    Hpke.KeyPair senderView = Hpke.keyPairFromPrivateKey(sender, kem, sk);
    Hpke.KeyPair receiverKey = Hpke.keyPairFromPrivateKey(receiver, kem, sk);
    assertThat(senderView.publicKey()).isEqualTo(receiverKey.publicKey());

    byte[] info = random(20);
    byte[] ephemeral = random(ephemeralLength(kem));
    Hpke.Sender s =
        Hpke.setupBaseSWithEphemeral(
            sender, kem, KDF, aead, receiverKey.publicKey(), info, ephemeral);
    // The same ephemeral input gives the same enc and ciphertexts on the other backend.
    Hpke.Sender twin =
        Hpke.setupBaseSWithEphemeral(
            receiver, kem, KDF, aead, receiverKey.publicKey(), info, ephemeral);
    assertThat(s.enc).isEqualTo(twin.enc);

    Hpke.Context r = Hpke.setupBaseR(KDF, aead, receiverKey, s.enc, info);
    assertThat(r).isNotNull();
    for (int i = 0; i < 3; i++) {
      byte[] aad = random(i * 7);
      byte[] pt = random(1000 + i);
      byte[] ct = s.context.seal(aad, pt);
      assertThat(twin.context.seal(aad, pt)).as("message %d", i).isEqualTo(ct);
      assertThat(r.open(aad, ct)).as("message %d", i).isEqualTo(pt);
    }
    byte[] exporterContext = random(9);
    assertThat(r.export(exporterContext, 48)).isEqualTo(s.context.export(exporterContext, 48));

    // The response layer (RFC 9458 section 4.4): HKDF and the single-shot AEAD.
    byte[] secret = r.export(new byte[] {'r'}, 32);
    byte[] prk = receiver.extract(random(48), secret);
    byte[] key = receiver.expand(prk, new byte[] {'k'}, Hpke.aeadKeyLength(aead));
    assertThat(sender.expand(prk, new byte[] {'k'}, Hpke.aeadKeyLength(aead))).isEqualTo(key);
    byte[] nonce = random(Hpke.NN);
    byte[] aad = random(5);
    byte[] response = random(600);
    byte[] sealedResponse = receiver.aeadSeal(aead, key, nonce, aad, response);
    assertThat(sender.aeadSeal(aead, key, nonce, aad, response)).isEqualTo(sealedResponse);
    assertThat(sender.aeadOpen(aead, key, nonce, aad, sealedResponse)).isEqualTo(response);
  }

  @Test
  @DisplayName("both backends give the same HKDF output for empty salt and long outputs")
  void hkdf_sameOnBothBackends() {
    assumeThat(libsodium).isNotNull();
    for (int salt : new int[] {0, 1, 32, 64, 100}) {
      byte[] s = random(salt);
      byte[] ikm = random(33);
      byte[] prk = HpkeBackends.BOUNCY_CASTLE.extract(s, ikm);
      assertThat(libsodium.extract(s, ikm)).isEqualTo(prk);
      for (int length : new int[] {0, 1, 31, 32, 33, 64, 255, 8160}) {
        byte[] info = random(length % 17);
        assertThat(libsodium.expand(prk, info, length))
            .as("salt %d, length %d", salt, length)
            .isEqualTo(HpkeBackends.BOUNCY_CASTLE.expand(prk, info, length));
      }
    }
  }

  /** Points of small order on Curve25519 (RFC 7748 section 7): the shared secret is all zeros. */
  private static final List<byte[]> LOW_ORDER =
      List.of(
          new byte[32],
          HexFormat.of()
              .parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
          HexFormat.of()
              .parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
          HexFormat.of()
              .parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
          HexFormat.of()
              .parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));

  @Test
  @DisplayName("both backends refuse an X25519 public key of small order when sealing")
  void lowOrderPublicKey_refusedByBoth() {
    for (HpkeBackend b : HpkeBackends.all()) {
      for (byte[] point : LOW_ORDER) {
        assertThatThrownBy(
                () ->
                    Hpke.setupBaseSWithEphemeral(
                        b,
                        HpkeIds.KEM_X25519_HKDF_SHA256,
                        KDF,
                        HpkeIds.AEAD_AES_128_GCM,
                        point,
                        NONE,
                        random(32)))
            .as(b.name())
            .isInstanceOf(IllegalStateException.class);
      }
    }
  }

  @Test
  @DisplayName("both backends refuse an encapsulated key of small order, alone and inside X-Wing")
  void lowOrderEnc_refusedByBoth() {
    byte[] sk = random(32);
    for (HpkeBackend b : HpkeBackends.all()) {
      Hpke.KeyPair x25519 = Hpke.keyPairFromPrivateKey(b, HpkeIds.KEM_X25519_HKDF_SHA256, sk);
      Hpke.KeyPair xwing = Hpke.keyPairFromPrivateKey(b, HpkeIds.KEM_X_WING, sk);
      byte[] xwingEnc =
          Hpke.setupBaseSWithEphemeral(
                  b,
                  HpkeIds.KEM_X_WING,
                  KDF,
                  HpkeIds.AEAD_AES_128_GCM,
                  xwing.publicKey(),
                  NONE,
                  random(64))
              .enc;
      for (byte[] point : LOW_ORDER) {
        assertThat(Hpke.setupBaseR(KDF, HpkeIds.AEAD_AES_128_GCM, x25519, point, NONE))
            .as(b.name())
            .isNull();
        byte[] enc = xwingEnc.clone();
        System.arraycopy(point, 0, enc, 1088, 32);
        assertThat(Hpke.setupBaseR(KDF, HpkeIds.AEAD_AES_128_GCM, xwing, enc, NONE))
            .as(b.name())
            .isNull();
      }
    }
  }

  @Test
  @DisplayName(
      "a tampered X-Wing ML-KEM ciphertext is implicitly rejected by both: the context opens nothing")
  void tamperedXWingCiphertext_opensNothingOnEither() {
    byte[] sk = random(32);
    for (HpkeBackend b : HpkeBackends.all()) {
      Hpke.KeyPair key = Hpke.keyPairFromPrivateKey(b, HpkeIds.KEM_X_WING, sk);
      Hpke.Sender s =
          Hpke.setupBaseSWithEphemeral(
              b,
              HpkeIds.KEM_X_WING,
              KDF,
              HpkeIds.AEAD_AES_128_GCM,
              key.publicKey(),
              NONE,
              random(64));
      byte[] ct = s.context.seal(NONE, new byte[] {1, 2, 3});
      byte[] enc = s.enc.clone();
      enc[17] ^= 0x40;
      Hpke.Context r = Hpke.setupBaseR(KDF, HpkeIds.AEAD_AES_128_GCM, key, enc, NONE);
      assertThat(r).as(b.name()).isNotNull();
      assertThat(r.open(NONE, ct)).as(b.name()).isNull();
    }
  }

  @Test
  @DisplayName("a failed open leaves the sequence number alone on both backends")
  void failedOpen_doesNotAdvanceSequence() {
    byte[] sk = random(32);
    for (HpkeBackend b : HpkeBackends.all()) {
      for (int aead : new int[] {HpkeIds.AEAD_AES_128_GCM, HpkeIds.AEAD_CHACHA20_POLY1305}) {
        Hpke.KeyPair key = Hpke.keyPairFromPrivateKey(b, HpkeIds.KEM_X25519_HKDF_SHA256, sk);
        Hpke.Sender s =
            Hpke.setupBaseSWithEphemeral(
                b, HpkeIds.KEM_X25519_HKDF_SHA256, KDF, aead, key.publicKey(), NONE, random(32));
        Hpke.Context r = Hpke.setupBaseR(KDF, aead, key, s.enc, NONE);
        byte[] first = s.context.seal(NONE, new byte[] {1});
        byte[] second = s.context.seal(NONE, new byte[] {2});
        byte[] tampered = first.clone();
        tampered[0] ^= 1;
        assertThat(r.open(NONE, tampered)).as(b.name()).isNull();
        assertThat(r.open(new byte[] {9}, first)).as("wrong aad, " + b.name()).isNull();
        assertThat(r.open(NONE, Arrays.copyOf(first, 5))).as("too short, " + b.name()).isNull();
        assertThat(r.open(NONE, second)).as("out of order, " + b.name()).isNull();
        assertThat(r.open(NONE, first)).as(b.name()).containsExactly(1);
        assertThat(r.open(NONE, second)).as(b.name()).containsExactly(2);
      }
    }
  }

  @Test
  @DisplayName("both backends accept and refuse the same X-Wing public keys")
  void xwingPublicKeyChecks_agree() {
    byte[] good =
        Hpke.keyPairFromPrivateKey(HpkeBackends.BOUNCY_CASTLE, HpkeIds.KEM_X_WING, random(32))
            .publicKey();
    // An ML-KEM coefficient of 0xFFF (>= q = 3329) in the first encoded pair.
    byte[] bad = good.clone();
    bad[0] = (byte) 0xFF;
    bad[1] |= 0x0F;
    for (HpkeBackend b : HpkeBackends.all()) {
      b.checkPublicKey(HpkeIds.KEM_X_WING, good);
      Throwable bc =
          thrown(() -> HpkeBackends.BOUNCY_CASTLE.checkPublicKey(HpkeIds.KEM_X_WING, bad));
      Throwable mine = thrown(() -> b.checkPublicKey(HpkeIds.KEM_X_WING, bad));
      assertThat(mine == null ? null : mine.getClass())
          .as(b.name())
          .isEqualTo(bc == null ? null : bc.getClass());
      Throwable bcSeal = thrown(() -> seal(HpkeBackends.BOUNCY_CASTLE, bad));
      Throwable mineSeal = thrown(() -> seal(b, bad));
      assertThat(mineSeal == null ? null : mineSeal.getClass())
          .as("sealing to it, " + b.name())
          .isEqualTo(bcSeal == null ? null : bcSeal.getClass());
    }
  }

  private static void seal(HpkeBackend b, byte[] pk) {
    Hpke.setupBaseSWithEphemeral(
        b, HpkeIds.KEM_X_WING, KDF, HpkeIds.AEAD_AES_128_GCM, pk, NONE, random(64));
  }

  private static Throwable thrown(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
