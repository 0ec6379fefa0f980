package org.privateprocessing.ohttp;

import java.util.Arrays;
import javax.crypto.Mac;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;

/**
 * The fast HPKE backend (issue #17): X25519 in libsodium ({@link Libsodium}), in DHKEM(X25519,
 * HKDF-SHA256) and in the X25519 half of X-Wing ({@link XWing}); HKDF, AES-128-GCM and
 * ChaCha20-Poly1305 from the JDK ({@link JdkSymmetric}); RFC 9180's key schedule composed on those
 * ({@link HpkeKeySchedule}). ML-KEM-768 stays BouncyCastle's.
 *
 * <p>Secrets: the long-term X25519 scalars live off the Java heap ({@link Libsodium.Scalar});
 * ephemeral scalars, Diffie-Hellman outputs and intermediate HKDF keys are zeroed as soon as they
 * are used. What the JDK copies inside its Mac and Cipher objects is out of reach, as it is inside
 * BouncyCastle's.
 */
final class LibsodiumHpke implements HpkeBackend {
  private final String description;
  private final JdkSymmetric jdk;
  private final HpkeKeySchedule schedule;

  private LibsodiumHpke(String description, JdkSymmetric jdk) {
    this.description = description;
    this.jdk = jdk;
    this.schedule = new HpkeKeySchedule(jdk);
  }

  /**
   * Loads libsodium (once per JVM) and the JDK's symmetric primitives.
   *
   * @throws IllegalStateException with the reason when either is unavailable
   * @throws LinkageError when JNA itself cannot load
   */
  static LibsodiumHpke load() {
    String library = Libsodium.load();
    JdkSymmetric jdk = JdkSymmetric.load();
    return new LibsodiumHpke(
        "X25519 from " + library + "; AES-GCM, ChaCha20-Poly1305, HMAC-SHA256 from the JDK", jdk);
  }

  @Override
  public String name() {
    return "libsodium";
  }

  @Override
  public String toString() {
    return description;
  }

  /** DHKEM(X25519) key: the scalar off-heap, the public key alongside. */
  private final class X25519KeyPair extends Hpke.KeyPair {
    final Libsodium.Scalar scalar;
    final byte[] pk;

    X25519KeyPair(Libsodium.Scalar scalar, byte[] publicKey) {
      super(HpkeIds.KEM_X25519_HKDF_SHA256, publicKey);
      this.scalar = scalar;
      this.pk = publicKey;
    }

    @Override
    HpkeBackend backend() {
      return LibsodiumHpke.this;
    }

    @Override
    void destroy() {
      scalar.destroy();
    }

    @Override
    boolean isDestroyed() {
      return scalar.isDestroyed();
    }
  }

  /** X-Wing key: the expanded decapsulation key (the seed itself is not kept). */
  private final class XWingKeyPair extends Hpke.KeyPair {
    final XWing.DecapsulationKey key;

    XWingKeyPair(XWing.DecapsulationKey key) {
      super(HpkeIds.KEM_X_WING, key.publicKey.clone());
      this.key = key;
    }

    @Override
    HpkeBackend backend() {
      return LibsodiumHpke.this;
    }

    @Override
    void destroy() throws javax.security.auth.DestroyFailedException {
      key.x25519.destroy();
      KeyErasure.erase(key.mlkem);
    }

    @Override
    boolean isDestroyed() {
      return key.x25519.isDestroyed() && KeyErasure.isErased(key.mlkem);
    }
  }

  @Override
  public Hpke.KeyPair keyPairFromPrivateKey(int kemId, byte[] privateKey) {
    if (kemId == HpkeIds.KEM_X_WING) {
      return new XWingKeyPair(XWing.expand(privateKey));
    }
    // The scalar is kept as given: libsodium clamps it on every use, as RFC 7748 says.
    return new X25519KeyPair(new Libsodium.Scalar(privateKey), Libsodium.x25519Base(privateKey));
  }

  @Override
  public void checkPublicKey(int kemId, byte[] publicKey) {
    if (kemId == HpkeIds.KEM_X_WING) {
      // The same parse BouncyCastle's backend does, so both accept exactly the same keys.
      new XWingPublicKeyParameters(publicKey);
    }
    // X25519: every 32-byte string is a public key (RFC 9180 section 7.1.1); low order is
    // caught when the shared secret comes out all zero.
  }

  @Override
  public Hpke.Sender setupBaseS(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, byte[] ephemeral) {
    Mac mac = jdk.newMac();
    byte[] enc;
    byte[] sharedSecret;
    if (kemId == HpkeIds.KEM_X_WING) {
      XWing.Encapsulation e = XWing.encapsulate(pkR, ephemeral);
      enc = e.ciphertext();
      sharedSecret = e.sharedSecret();
    } else {
      // DHKEM Encap (RFC 9180 section 4.1) with skE = ephemeral.
      enc = Libsodium.x25519Base(ephemeral);
      byte[] dh = new byte[Libsodium.X25519_BYTES];
      try {
        if (!Libsodium.x25519(dh, ephemeral, pkR)) {
          throw new IllegalStateException("X25519 public key of small order");
        }
        sharedSecret = schedule.dhkemSharedSecret(mac, dh, enc, pkR);
      } finally {
        Arrays.fill(dh, (byte) 0);
      }
    }
    return new Hpke.Sender(
        enc, schedule.keySchedule(mac, kemId, kdfId, aeadId, sharedSecret, info));
  }

  @Override
  public Hpke.Context setupBaseR(int kdfId, int aeadId, Hpke.KeyPair skR, byte[] enc, byte[] info) {
    Mac mac = jdk.newMac();
    byte[] sharedSecret;
    if (skR instanceof XWingKeyPair) {
      sharedSecret = XWing.decapsulate(((XWingKeyPair) skR).key, enc);
    } else {
      // DHKEM Decap (RFC 9180 section 4.1): dh = X25519(skR, enc), kem_context = enc || pkR.
      X25519KeyPair key = (X25519KeyPair) skR;
      byte[] dh = new byte[Libsodium.X25519_BYTES];
      try {
        if (!Libsodium.x25519(dh, key.scalar, enc)) {
          throw new IllegalStateException("X25519 encapsulated key of small order");
        }
        sharedSecret = schedule.dhkemSharedSecret(mac, dh, enc, key.pk);
      } finally {
        Arrays.fill(dh, (byte) 0);
      }
    }
    return schedule.keySchedule(mac, skR.kemId, kdfId, aeadId, sharedSecret, info);
  }

  @Override
  public byte[] extract(byte[] salt, byte[] ikm) {
    return JdkSymmetric.extract(jdk.newMac(), salt, ikm);
  }

  @Override
  public byte[] expand(byte[] prk, byte[] info, int length) {
    return JdkSymmetric.expand(jdk.newMac(), prk, length, info);
  }

  @Override
  public byte[] aeadSeal(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    return jdk.seal(aeadId, jdk.aeadKey(aeadId, key), nonce, aad, plaintext);
  }

  @Override
  public byte[] aeadOpen(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    return jdk.open(aeadId, jdk.aeadKey(aeadId, key), nonce, aad, ciphertext);
  }
}
