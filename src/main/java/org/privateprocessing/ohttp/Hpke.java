package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.hpke.AEAD;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The one seam between this package and the HPKE backend (BouncyCastle 1.87, {@link
 * org.bouncycastle.crypto.hpke.HPKE}). Everything else in the package speaks in byte arrays and
 * algorithm identifiers, so the backend can be swapped (e.g. for JDK HPKE) here alone.
 *
 * <p>Only base mode (RFC 9180 section 5.1.1) is exposed: Oblivious HTTP uses nothing else. A new
 * {@code HPKE} object is created per operation because BouncyCastle's KEM objects hold mutable
 * agreement state and are not documented as thread-safe.
 */
final class Hpke {
  /** AEAD nonce length Nn for both supported AEADs (RFC 9180 section 7.3). */
  static final int NN = 12;

  /** AEAD tag length Nt for both supported AEADs (RFC 9180 section 7.3). */
  static final int NT = 16;

  /** X-Wing encapsulation randomness (eseed) length taken by BouncyCastle's deterministic encap. */
  static final int X_WING_ESEED_LENGTH = 64;

  private Hpke() {}

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

  private static HPKE hpke(int kemId, int kdfId, int aeadId) {
    return new HPKE(HPKE.mode_base, (short) kemId, (short) kdfId, (short) aeadId);
  }

  // The KEM alone determines key handling; the KDF/AEAD passed here are placeholders.
  private static HPKE kemOnly(int kemId) {
    return hpke(kemId, HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_AES_128_GCM);
  }

  /** A receiver key pair held as backend objects; the private part never leaves this package. */
  static final class KeyPair {
    final int kemId;
    final AsymmetricCipherKeyPair keys;
    private final byte[] publicKey;

    private KeyPair(int kemId, AsymmetricCipherKeyPair keys, byte[] publicKey) {
      this.kemId = kemId;
      this.keys = keys;
      this.publicKey = publicKey;
    }

    byte[] publicKey() {
      return publicKey.clone();
    }
  }

  /**
   * Imports a serialized private key (X25519 scalar or X-Wing seed, Nsk bytes) and derives its
   * public key.
   */
  static KeyPair keyPairFromPrivateKey(int kemId, byte[] privateKey) {
    if (privateKey.length != privateKeyLength(kemId)) {
      throw new IllegalArgumentException(
          "private key for "
              + HpkeIds.kemName(kemId)
              + " must be "
              + privateKeyLength(kemId)
              + " bytes");
    }
    HPKE h = kemOnly(kemId);
    AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey.clone(), null);
    return new KeyPair(kemId, kp, h.serializePublicKey(kp.getPublic()));
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
    kemOnly(kemId).deserializePublicKey(publicKey);
  }

  /** HPKE context after SetupBaseS/SetupBaseR (RFC 9180 section 5.1). Single owner, not shared. */
  static final class Context {
    private final HPKEContext ctx;

    private Context(HPKEContext ctx) {
      this.ctx = ctx;
    }

    /** ContextS.Seal (RFC 9180 section 5.2); advances the sequence number. */
    byte[] seal(byte[] aad, byte[] plaintext) {
      try {
        return ctx.seal(aad, plaintext);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("AEAD seal failed", e);
      }
    }

    /** ContextR.Open (RFC 9180 section 5.2); returns null when authentication fails. */
    byte[] open(byte[] aad, byte[] ciphertext) {
      try {
        return ctx.open(aad, ciphertext);
      } catch (InvalidCipherTextException | RuntimeException e) {
        return null;
      }
    }

    /** Context.Export (RFC 9180 section 5.3). */
    byte[] export(byte[] exporterContext, int length) {
      return ctx.export(exporterContext, length);
    }
  }

  /** Sender side of SetupBaseS: the encapsulated key plus the sending context. */
  static final class Sender {
    final byte[] enc;
    final Context context;

    private Sender(HPKEContextWithEncapsulation c) {
      this.enc = c.getEncapsulation();
      this.context = new Context(c);
    }
  }

  /** SetupBaseS with fresh ephemeral randomness from {@code random} (RFC 9180 section 5.1.1). */
  static Sender setupBaseS(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, SecureRandom random) {
    byte[] ephemeral =
        new byte[kemId == HpkeIds.KEM_X_WING ? X_WING_ESEED_LENGTH : privateKeyLength(kemId)];
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
   */
  static Sender setupBaseSWithEphemeral(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, byte[] ephemeral) {
    HPKE h = hpke(kemId, kdfId, aeadId);
    AsymmetricKeyParameter pk = h.deserializePublicKey(pkR);
    if (kemId == HpkeIds.KEM_X_WING) {
      if (ephemeral.length != X_WING_ESEED_LENGTH) {
        throw new IllegalArgumentException(
            "X-Wing ephemeral seed must be " + X_WING_ESEED_LENGTH + " bytes");
      }
      return new Sender(h.setupBaseS(pk, info, ephemeral.clone()));
    }
    if (ephemeral.length != privateKeyLength(kemId)) {
      throw new IllegalArgumentException(
          "ephemeral private key must be " + privateKeyLength(kemId) + " bytes");
    }
    AsymmetricCipherKeyPair kpE = h.deserializePrivateKey(ephemeral.clone(), null);
    return new Sender(h.setupBaseS(pk, info, kpE));
  }

  /**
   * SetupBaseR (RFC 9180 section 5.1.1); returns null when the KEM rejects {@code enc} (for X25519
   * a low-order point yields an all-zero shared secret, which RFC 9180 section 7.1.4 requires to be
   * rejected).
   */
  static Context setupBaseR(int kdfId, int aeadId, KeyPair skR, byte[] enc, byte[] info) {
    try {
      return new Context(hpke(skR.kemId, kdfId, aeadId).setupBaseR(enc, skR.keys, info));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** HKDF-Extract (RFC 5869 section 2.2) with SHA-256, as used by RFC 9458 section 4.4. */
  static byte[] extract(int kdfId, byte[] salt, byte[] ikm) {
    requireKdf(kdfId);
    return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(salt, ikm);
  }

  /** HKDF-Expand (RFC 5869 section 2.3) with SHA-256. */
  static byte[] expand(int kdfId, byte[] prk, byte[] info, int length) {
    requireKdf(kdfId);
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(HKDFParameters.skipExtractParameters(prk, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  /**
   * Single-shot AEAD seal with an explicit key and nonce (the response AEAD of RFC 9458 section
   * 4.4).
   */
  static byte[] aeadSeal(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      // Sequence number 0 of BouncyCastle's HPKE AEAD uses the nonce unchanged.
      return new AEAD((short) aeadId, key, nonce).seal(aad, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD seal failed", e);
    }
  }

  /** Single-shot AEAD open; returns null when authentication fails. */
  static byte[] aeadOpen(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    try {
      return new AEAD((short) aeadId, key, nonce).open(aad, ciphertext);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return null;
    }
  }

  private static void requireKdf(int kdfId) {
    if (!isSupportedKdf(kdfId)) {
      throw new IllegalArgumentException("unsupported KDF " + HpkeIds.kdfName(kdfId));
    }
  }
}
