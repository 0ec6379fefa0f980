package org.privateprocessing.ohttp;

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
 * HPKE on BouncyCastle 1.87 ({@link org.bouncycastle.crypto.hpke.HPKE}) throughout: pure Java, so
 * it runs wherever the JVM does. The fallback backend of {@link Hpke}.
 *
 * <p>A new {@code HPKE} object is created per operation because BouncyCastle's KEM objects hold
 * mutable agreement state and are not documented as thread-safe.
 */
final class BouncyCastleHpke implements HpkeBackend {
  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public String toString() {
    return "BouncyCastle";
  }

  private static HPKE hpke(int kemId, int kdfId, int aeadId) {
    return new HPKE(HPKE.mode_base, (short) kemId, (short) kdfId, (short) aeadId);
  }

  // The KEM alone determines key handling; the KDF/AEAD passed here are placeholders.
  private static HPKE kemOnly(int kemId) {
    return hpke(kemId, HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_AES_128_GCM);
  }

  private final class KeyPair extends Hpke.KeyPair {
    final AsymmetricCipherKeyPair keys;

    KeyPair(int kemId, AsymmetricCipherKeyPair keys, byte[] publicKey) {
      super(kemId, publicKey);
      this.keys = keys;
    }

    @Override
    HpkeBackend backend() {
      return BouncyCastleHpke.this;
    }

    @Override
    void destroy() throws javax.security.auth.DestroyFailedException {
      KeyErasure.erase(keys.getPrivate());
    }

    @Override
    boolean isDestroyed() {
      return KeyErasure.isErased(keys.getPrivate());
    }
  }

  private static final class Context extends Hpke.Context {
    private final HPKEContext ctx;

    Context(HPKEContext ctx) {
      this.ctx = ctx;
    }

    @Override
    byte[] seal(byte[] aad, byte[] plaintext) {
      try {
        return ctx.seal(aad, plaintext);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("AEAD seal failed", e);
      }
    }

    @Override
    byte[] open(byte[] aad, byte[] ciphertext) {
      try {
        return ctx.open(aad, ciphertext);
      } catch (InvalidCipherTextException | RuntimeException e) {
        return null;
      }
    }

    @Override
    byte[] export(byte[] exporterContext, int length) {
      return ctx.export(exporterContext, length);
    }
  }

  @Override
  public Hpke.KeyPair keyPairFromPrivateKey(int kemId, byte[] privateKey) {
    HPKE h = kemOnly(kemId);
    AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey.clone(), null);
    return new KeyPair(kemId, kp, h.serializePublicKey(kp.getPublic()));
  }

  @Override
  public void checkPublicKey(int kemId, byte[] publicKey) {
    kemOnly(kemId).deserializePublicKey(publicKey);
  }

  @Override
  public Hpke.Sender setupBaseS(
      int kemId, int kdfId, int aeadId, byte[] pkR, byte[] info, byte[] ephemeral) {
    HPKE h = hpke(kemId, kdfId, aeadId);
    AsymmetricKeyParameter pk = h.deserializePublicKey(pkR);
    HPKEContextWithEncapsulation c;
    if (kemId == HpkeIds.KEM_X_WING) {
      c = h.setupBaseS(pk, info, ephemeral.clone());
    } else {
      c = h.setupBaseS(pk, info, h.deserializePrivateKey(ephemeral.clone(), null));
    }
    return new Hpke.Sender(c.getEncapsulation(), new Context(c));
  }

  @Override
  public Hpke.Context setupBaseR(int kdfId, int aeadId, Hpke.KeyPair skR, byte[] enc, byte[] info) {
    KeyPair mine = (KeyPair) skR;
    return new Context(hpke(skR.kemId, kdfId, aeadId).setupBaseR(enc, mine.keys, info));
  }

  @Override
  public byte[] extract(byte[] salt, byte[] ikm) {
    return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(salt, ikm);
  }

  @Override
  public byte[] expand(byte[] prk, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(HKDFParameters.skipExtractParameters(prk, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  @Override
  public byte[] aeadSeal(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      // Sequence number 0 of BouncyCastle's HPKE AEAD uses the nonce unchanged.
      return new AEAD((short) aeadId, key, nonce).seal(aad, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD seal failed", e);
    }
  }

  @Override
  public byte[] aeadOpen(int aeadId, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    try {
      return new AEAD((short) aeadId, key, nonce).open(aad, ciphertext);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return null;
    }
  }
}
