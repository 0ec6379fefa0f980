package org.privateprocessing.ohttp;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256, HKDF-SHA256 (RFC 5869), AES-128-GCM and ChaCha20-Poly1305 from the JDK's SunJCE
 * provider, whose AES-GCM and SHA-256 the JIT replaces with the CPU's AES, carry-less multiply and
 * SHA instructions (HpkePrimitivesBenchmark: AES-128-GCM over 1 KiB an order of magnitude faster
 * than BouncyCastle's table-driven Java, HMAC-SHA256 several times faster). HKDF is the two loops
 * of RFC 5869 over that HMAC; nothing below HMAC and the AEADs is written here.
 *
 * <p>SunJCE is asked for by name so that a provider registered ahead of it (BouncyCastle's, for
 * example) cannot slip its slower implementations in. Cipher and Mac objects are created per
 * operation: each HPKE context has its own key, and a cached object would keep the last key.
 */
final class JdkSymmetric {
  /** HMAC-SHA256 output length Nh. */
  static final int NH = 32;

  private static final int TAG_BITS = 128;

  private final Provider provider;

  private JdkSymmetric(Provider provider) {
    this.provider = provider;
  }

  /**
   * The SunJCE implementations, checked to exist.
   *
   * @throws IllegalStateException when the JVM lacks one of them (a restricted or FIPS runtime)
   */
  static JdkSymmetric load() {
    Provider p = Security.getProvider("SunJCE");
    if (p == null) {
      throw new IllegalStateException("the JDK's SunJCE provider is not installed");
    }
    try {
      Mac.getInstance("HmacSHA256", p);
      Cipher.getInstance("AES/GCM/NoPadding", p);
      Cipher.getInstance("ChaCha20-Poly1305", p);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunJCE lacks " + e.getMessage(), e);
    }
    return new JdkSymmetric(p);
  }

  /** A fresh HMAC-SHA256 object; re-keyed with {@link #hmac} for every computation. */
  Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256", provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HKDF-Extract(salt, ikm) = HMAC(salt, ikm); an empty salt is Nh zero bytes (RFC 5869 section
   * 2.2), which HMAC pads to the same block as the empty key.
   */
  static byte[] extract(Mac mac, byte[] salt, byte[]... ikm) {
    key(mac, salt.length == 0 ? new byte[NH] : salt);
    for (byte[] part : ikm) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /**
   * HKDF-Expand(prk, info, length) (RFC 5869 section 2.3): T(i) = HMAC(prk, T(i-1) || info || i).
   * {@code info} comes in parts so labeled expansions need not concatenate them first.
   */
  static byte[] expand(Mac mac, byte[] prk, int length, byte[]... info) {
    if (length < 0 || length > 255 * NH) {
      throw new IllegalArgumentException("HKDF-Expand length must be 0 to 8160 bytes");
    }
    key(mac, prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    for (int i = 1, done = 0; done < length; i++) {
      mac.update(t);
      for (byte[] part : info) {
        mac.update(part);
      }
      mac.update((byte) i);
      byte[] next = mac.doFinal();
      Arrays.fill(t, (byte) 0);
      t = next;
      int n = Math.min(NH, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }

  private static void key(Mac mac, byte[] key) {
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key ready for {@link #seal} and {@link #open}; one copy of the key bytes lives inside. */
  SecretKeySpec aeadKey(int aeadId, byte[] key) {
    return new SecretKeySpec(key, aeadId == HpkeIds.AEAD_AES_128_GCM ? "AES" : "ChaCha20");
  }

  /** AEAD seal: ciphertext followed by the 16-byte tag. */
  byte[] seal(int aeadId, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher c = cipher(aeadId, Cipher.ENCRYPT_MODE, key, nonce);
      c.updateAAD(aad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AEAD seal failed", e);
    }
  }

  /** AEAD open; returns null when authentication fails. */
  byte[] open(int aeadId, SecretKeySpec key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    try {
      Cipher c = cipher(aeadId, Cipher.DECRYPT_MODE, key, nonce);
      c.updateAAD(aad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AEAD open failed", e);
    }
  }

  private Cipher cipher(int aeadId, int mode, SecretKeySpec key, byte[] nonce)
      throws GeneralSecurityException {
    Cipher c;
    if (aeadId == HpkeIds.AEAD_AES_128_GCM) {
      c = Cipher.getInstance("AES/GCM/NoPadding", provider);
      c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    } else {
      c = Cipher.getInstance("ChaCha20-Poly1305", provider);
      c.init(mode, key, new IvParameterSpec(nonce));
    }
    return c;
  }
}
