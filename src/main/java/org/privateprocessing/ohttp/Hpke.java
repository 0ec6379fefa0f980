package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one seam between this package and the HPKE backend. Everything else in the package speaks in
 * byte arrays and algorithm identifiers; this class checks arguments (so every backend sees the
 * same inputs and refuses the same way) and hands the work to one {@link HpkeBackend}, chosen once
 * per JVM when the class initialises and logged in one line:
 *
 * <ul>
 *   <li>{@link LibsodiumHpke}: X25519 from the system's libsodium, AES-GCM, ChaCha20-Poly1305 and
 *       HMAC-SHA256 from the JDK, the RFC 9180 key schedule composed on those (issue #17);
 *   <li>{@link BouncyCastleHpke}: BouncyCastle 1.87 throughout; the fallback wherever libsodium
 *       cannot load (another platform, no libsodium installed, a JVM that refuses native code).
 * </ul>
 *
 * <p>System property {@value #BACKEND_PROPERTY}: {@code auto} (default: libsodium when it loads and
 * passes its self-test, BouncyCastle otherwise), {@code libsodium} (the same, but a failure to load
 * is logged as a warning) or {@code bouncycastle} (force the fallback).
 *
 * <p>Only base mode (RFC 9180 section 5.1.1) is exposed: Oblivious HTTP uses nothing else. A key
 * pair belongs to the backend that imported it, and {@link #setupBaseR} runs on that backend, so a
 * test can hold keys of both backends side by side in one JVM.
 */
final class Hpke {
  /** AEAD nonce length Nn for both supported AEADs (RFC 9180 section 7.3). */
  static final int NN = 12;

  /** AEAD tag length Nt for both supported AEADs (RFC 9180 section 7.3). */
  static final int NT = 16;

  /** X-Wing encapsulation randomness (eseed) length of the deterministic encapsulation. */
  static final int X_WING_ESEED_LENGTH = 64;

  /**
   * System property choosing the backend: {@code auto}, {@code libsodium}, {@code bouncycastle}.
   */
  static final String BACKEND_PROPERTY = "pp.crypto";

  private static final Logger LOG = Logger.getLogger(Hpke.class.getName());

  private static final HpkeBackend BACKEND;

  static {
    HpkeBackend.Choice choice =
        HpkeBackend.choose(System.getProperty(BACKEND_PROPERTY), LibsodiumHpke::load);
    BACKEND = choice.backend();
    LOG.log(choice.warning() ? Level.WARNING : Level.INFO, choice.message());
  }

  private Hpke() {}

  /** The backend this JVM uses. */
  static HpkeBackend backend() {
    return BACKEND;
  }

  static boolean isSupportedKem(int kemId) {
    return kemId == HpkeIds.KEM_X25519_HKDF_SHA256 || kemId == HpkeIds.KEM_X_WING;
  }

  static boolean isSupportedKdf(int kdfId) {
    return kdfId == HpkeIds.KDF_HKDF_SHA256;
  }

  static boolean isSupportedAead(int aeadId) {
    return aeadId == HpkeIds.AEAD_AES_128_GCM || aeadId == HpkeIds.AEAD_CHACHA20_POLY1305;
  }

  /** Npk: serialized public key length (RFC 9180 section 7.1; X-Wing: 1216). */
  static int publicKeyLength(int kemId) {
    switch (kemId) {
      case HpkeIds.KEM_X25519_HKDF_SHA256:
        return 32;
      case HpkeIds.KEM_X_WING:
        return 1216;
      default:
        throw new IllegalArgumentException("unsupported KEM " + HpkeIds.kemName(kemId));
    }
  }

  /** Nenc: encapsulated key length (X25519: 32, X-Wing: 1120). */
  static int encLength(int kemId) {
    switch (kemId) {
      case HpkeIds.KEM_X25519_HKDF_SHA256:
        return 32;
      case HpkeIds.KEM_X_WING:
        return 1120;
      default:
        throw new IllegalArgumentException("unsupported KEM " + HpkeIds.kemName(kemId));
    }
  }

  /** Nsk: serialized private key length (X25519 scalar, X-Wing 32-byte seed). */
  static int privateKeyLength(int kemId) {
    if (!isSupportedKem(kemId)) {
      throw new IllegalArgumentException("unsupported KEM " + HpkeIds.kemName(kemId));
    }
    return 32;
  }

  /** Nk: AEAD key length. */
  static int aeadKeyLength(int aeadId) {
    switch (aeadId) {
      case HpkeIds.AEAD_AES_128_GCM:
        return 16;
      case HpkeIds.AEAD_CHACHA20_POLY1305:
        return 32;
      default:
        throw new IllegalArgumentException("unsupported AEAD " + HpkeIds.aeadName(aeadId));
    }
  }

  /**
   * A receiver key pair held as backend objects; the private part never leaves this package. It
   * belongs to the backend that imported it.
   */
  abstract static class KeyPair {
    final int kemId;
    private final byte[] publicKey;

    KeyPair(int kemId, byte[] publicKey) {
      this.kemId = kemId;
      this.publicKey = publicKey;
    }

    byte[] publicKey() {
      return publicKey.clone();
    }

    /** The backend whose objects hold the private key. */
    abstract HpkeBackend backend();

    /**
     * Zeroes the private key where this backend holds it (Java arrays by {@link KeyErasure}, or
     * off-heap memory); the key opens nothing afterwards.
     */
    abstract void destroy() throws javax.security.auth.DestroyFailedException;

    /** Whether {@link #destroy} has cleared every private byte this pair holds. */
    abstract boolean isDestroyed();
  }

  /**
   * HPKE context after SetupBaseS/SetupBaseR (RFC 9180 section 5.1). Single owner, not shared: the
   * sequence number makes seal and open stateful.
   */
  abstract static class Context {
    /** ContextS.Seal (RFC 9180 section 5.2); advances the sequence number. */
    abstract byte[] seal(byte[] aad, byte[] plaintext);

    /**
     * ContextR.Open (RFC 9180 section 5.2); returns null when authentication fails (the sequence
     * number then stays where it was).
     */
    abstract byte[] open(byte[] aad, byte[] ciphertext);

    /** Context.Export (RFC 9180 section 5.3). */
    abstract byte[] export(byte[] exporterContext, int length);
  }

  /** Sender side of SetupBaseS: the encapsulated key plus the sending context. */
  static final class Sender {
    final byte[] enc;
    final Context context;

    Sender(byte[] enc, Context context) {
      this.enc = enc;
      this.context = context;
    }
  }

  /**
   * Imports a serialized private key (X25519 scalar or X-Wing seed, Nsk bytes) and derives its
   * public key.
   */
  static KeyPair keyPairFromPrivateKey(int kemId, byte[] privateKey) {
    return keyPairFromPrivateKey(BACKEND, kemId, privateKey);
  }

  /** As {@link #keyPairFromPrivateKey(int, byte[])} on a given backend (tests, cross-checks). */
  static KeyPair keyPairFromPrivateKey(HpkeBackend backend, int kemId, byte[] privateKey) {
    if (privateKey.length != privateKeyLength(kemId)) {
      throw new IllegalArgumentException(
          "private key for "
              + HpkeIds.kemName(kemId)
              + " must be "
              + privateKeyLength(kemId)
              + " bytes");
    }
    return backend.keyPairFromPrivateKey(kemId, privateKey);
  }

  /**
   * Generates a key pair from caller-supplied randomness: both KEMs accept any Nsk uniformly random
   * bytes as a private key (X25519 clamps, X-Wing expands the seed), so this stays reproducible.
   */
  static KeyPair generateKeyPair(int kemId, SecureRandom random) {
    byte[] sk = new byte[privateKeyLength(kemId)];
    random.nextBytes(sk);
    try {
      return keyPairFromPrivateKey(kemId, sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
  }

  /** Checks that the backend accepts a serialized public key (length and encoding). */
  static void checkPublicKey(int kemId, byte[] publicKey) {
    if (publicKey.length != publicKeyLength(kemId)) {
      throw new IllegalArgumentException(
          "public key for " + HpkeIds.kemName(kemId) + " must be " + publicKeyLength(kemId));
    }
    BACKEND.checkPublicKey(kemId, publicKey);
  }

  /** SetupBaseS with fresh ephemeral randomness from {@code random} (RFC 9180 section 5.1.1). */
  static Sender setupBaseS(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, SecureRandom random) {
    byte[] ephemeral = new byte[ephemeralLength(kemId)];
    random.nextBytes(ephemeral);
    try {
      return setupBaseSWithEphemeral(kemId, kdfId, aeadId, pkR, info, ephemeral);
    } finally {
      Arrays.fill(ephemeral, (byte) 0);
    }
  }

  /**
   * SetupBaseS with fixed ephemeral input, for test vectors and for routing caller randomness into
   * the KEM: for X25519 the ephemeral private key skE (32 bytes), for X-Wing the 64-byte eseed.
   *
   * @throws IllegalArgumentException for a bad length or an unsupported algorithm
   * @throws IllegalStateException when the KEM rejects {@code pkR} (e.g. an X25519 point of low
   *     order, whose shared secret would be all zeros)
   */
  static Sender setupBaseSWithEphemeral(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, byte[] ephemeral) {
    return setupBaseSWithEphemeral(BACKEND, kemId, kdfId, aeadId, pkR, info, ephemeral);
  }

  /** As above on a given backend (tests, cross-checks). */
  static Sender setupBaseSWithEphemeral(
      HpkeBackend backend,
      int kemId,
      int kdfId,
      int aeadId,
      byte[] pkR,
      byte[] info,
      byte[] ephemeral) {
    requireSuite(kemId, kdfId, aeadId);
    if (ephemeral.length != ephemeralLength(kemId)) {
      throw new IllegalArgumentException(
          kemId == HpkeIds.KEM_X_WING
              ? "X-Wing ephemeral seed must be " + X_WING_ESEED_LENGTH + " bytes"
              : "ephemeral private key must be " + privateKeyLength(kemId) + " bytes");
    }
    if (pkR.length != publicKeyLength(kemId)) {
      throw new IllegalArgumentException(
          "public key for " + HpkeIds.kemName(kemId) + " must be " + publicKeyLength(kemId));
    }
    return backend.setupBaseS(kemId, kdfId, aeadId, pkR, info, ephemeral);
  }

  /**
   * SetupBaseR (RFC 9180 section 5.1.1) on the backend that holds {@code skR}; returns null when
   * the KEM rejects {@code enc} (for X25519 a low-order point yields an all-zero shared secret,
   * which RFC 9180 section 7.1.4 requires to be rejected).
   */
  static Context setupBaseR(int kdfId, int aeadId, KeyPair skR, byte[] enc, byte[] info) {
    requireSuite(skR.kemId, kdfId, aeadId);
    if (enc.length != encLength(skR.kemId)) {
      return null;
    }
    try {
      return skR.backend().setupBaseR(kdfId, aeadId, skR, enc, info);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** HKDF-Extract (RFC 5869 section 2.2) with SHA-256, as used by RFC 9458 section 4.4. */
  static byte[] extract(int kdfId, byte[] salt, byte[] ikm) {
    requireKdf(kdfId);
    return BACKEND.extract(salt, ikm);
  }

  /** HKDF-Expand (RFC 5869 section 2.3) with SHA-256. */
  static byte[] expand(int kdfId, byte[] prk, byte[] info, int length) {
    requireKdf(kdfId);
    return BACKEND.expand(prk, info, length);
  }

  /**
   * Single-shot AEAD seal with an explicit key and nonce (the response AEAD of RFC 9458 section
   * 4.4).
   */
  static byte[] aeadSeal(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    requireAeadKey(aeadId, key, nonce);
    return BACKEND.aeadSeal(aeadId, key, nonce, aad, plaintext);
  }

  /** Single-shot AEAD open; returns null when authentication fails. */
  static byte[] aeadOpen(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    requireAeadKey(aeadId, key, nonce);
    if (ciphertext.length < NT) {
      return null;
    }
    try {
      return BACKEND.aeadOpen(aeadId, key, nonce, aad, ciphertext);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int ephemeralLength(int kemId) {
    return kemId == HpkeIds.KEM_X_WING ? X_WING_ESEED_LENGTH : privateKeyLength(kemId);
  }

  private static void requireSuite(int kemId, int kdfId, int aeadId) {
    if (!isSupportedKem(kemId)) {
      throw new IllegalArgumentException("unsupported KEM " + HpkeIds.kemName(kemId));
    }
    requireKdf(kdfId);
    if (!isSupportedAead(aeadId)) {
      throw new IllegalArgumentException("unsupported AEAD " + HpkeIds.aeadName(aeadId));
    }
  }

  private static void requireKdf(int kdfId) {
    if (!isSupportedKdf(kdfId)) {
      throw new IllegalArgumentException("unsupported KDF " + HpkeIds.kdfName(kdfId));
    }
  }

  private static void requireAeadKey(int aeadId, byte[] key, byte[] nonce) {
    if (key.length != aeadKeyLength(aeadId) || nonce.length != NN) {
      throw new IllegalArgumentException(
          HpkeIds.aeadName(aeadId)
              + " needs a "
              + aeadKeyLength(aeadId)
              + "-byte key and a 12-byte nonce");
    }
  }
}
