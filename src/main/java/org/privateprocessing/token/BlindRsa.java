package org.privateprocessing.token;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.bouncycastle.util.BigIntegers;

/**
 * RSABSSA-SHA384-PSS(ZERO) blind signatures, RFC 9474 section 4, on JDK RSA; package-private.
 *
 * <p>Written on {@link BigInteger} rather than BouncyCastle's {@code RSABlindSignatureClient}
 * because that class draws the salt and the blind from a {@link SecureRandom} internally, and test
 * vectors must inject both. The private-key operation goes through the JDK's RSA cipher, which uses
 * CRT with base blinding. Works for any modulus size (the RFC 9474 vectors use 4096 bits); Privacy
 * Pass type 2 restricts it to 2048 bits elsewhere.
 */
final class BlindRsa {
  static final int HASH_LENGTH = 48; // SHA-384

  /** sLen of RSABSSA-SHA384-PSS-*, RFC 9474 section 5. */
  static final int PSS_SALT_LENGTH = HASH_LENGTH;

  private BlindRsa() {}

  /**
   * Client-side result of Blind: the encoded message (for tests), blinded_msg and inv = r^-1 mod n.
   */
  record Blinded(byte[] encodedMsg, byte[] blindedMsg, BigInteger inv) {}

  /**
   * Blind, RFC 9474 section 4.2, with the salt and the blind r given. The message is the already
   * prepared one (section 4.1: identity for the Deterministic variants).
   *
   * @throws IllegalArgumentException when r is not in [1, n) or not invertible mod n
   * @throws TokenException MALFORMED when the encoded message is not coprime to n (step 3)
   */
  static Blinded blind(RSAPublicKey pk, byte[] msg, byte[] salt, BigInteger r)
      throws TokenException {
    BigInteger n = pk.getModulus();
    int modulusLength = modulusLength(pk);
    byte[] encoded = emsaPssEncode(msg, salt, n.bitLength() - 1);
    BigInteger m = Bytes.os2ip(encoded);
    if (!BigIntegers.modOddIsCoprime(n, m)) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "encoded message is not invertible modulo n");
    }
    if (r.signum() <= 0 || r.compareTo(n) >= 0) {
      throw new IllegalArgumentException("blind must be in [1, n)");
    }
    BigInteger inv;
    try {
      // The blind is the secret that unlinks token from issuance: constant-time inversion
      // (BouncyCastle's safegcd), which is also three to four times faster than BigInteger's.
      inv = BigIntegers.modOddInverse(n, r);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("blind is not invertible modulo n");
    }
    BigInteger x = r.modPow(pk.getPublicExponent(), n); // RSAVP1(pk, r)
    BigInteger z = m.multiply(x).mod(n);
    return new Blinded(encoded, Bytes.i2osp(z, modulusLength), inv);
  }

  /** A uniformly random invertible r in [1, n) (RFC 9474 section 4.2 step 4). */
  static BigInteger randomBlind(BigInteger n, SecureRandom random) {
    while (true) {
      BigInteger r = new BigInteger(n.bitLength(), random);
      if (r.signum() > 0 && r.compareTo(n) < 0 && BigIntegers.modOddIsCoprime(n, r)) {
        return r;
      }
    }
  }

  /** An RSA cipher without padding, initialised with the private key: RSASP1 with CRT. */
  static Cipher rsaPrivate(RSAPrivateKey sk) {
    try {
      Cipher c = Cipher.getInstance("RSA/ECB/NoPadding");
      c.init(Cipher.DECRYPT_MODE, sk);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA without padding is a mandatory JDK algorithm", e);
    }
  }

  /**
   * BlindSign, RFC 9474 section 4.3: s = RSASP1(sk, m), then the check RSAVP1(pk, s) == m that
   * guards against faults in the CRT computation leaking the key.
   *
   * @throws TokenException MALFORMED when blinded_msg is not modulus-length or not below n
   */
  static byte[] blindSign(Cipher rsaPrivate, RSAPublicKey pk, byte[] blindedMsg)
      throws TokenException {
    int modulusLength = modulusLength(pk);
    if (blindedMsg.length != modulusLength) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "blinded message must be " + modulusLength + " bytes");
    }
    BigInteger n = pk.getModulus();
    BigInteger m = Bytes.os2ip(blindedMsg);
    if (m.compareTo(n) >= 0) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "blinded message is not below the modulus");
    }
    byte[] s;
    try {
      s = rsaPrivate.doFinal(blindedMsg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA private-key operation failed", e);
    }
    s = Bytes.i2osp(Bytes.os2ip(s), modulusLength);
    if (!Bytes.os2ip(s).modPow(pk.getPublicExponent(), n).equals(m)) {
      throw new IllegalStateException("signing failure: RSAVP1(pk, s) != m");
    }
    return s;
  }

  /**
   * Finalize, RFC 9474 section 4.4: unblind with inv and verify the result as RSASSA-PSS over msg.
   *
   * @throws TokenException MALFORMED for a blind_sig of the wrong length, INVALID_SIGNATURE when
   *     the unblinded signature does not verify
   */
  static byte[] finalizeSignature(
      RSAPublicKey pk, byte[] msg, int saltLength, byte[] blindSig, BigInteger inv)
      throws TokenException {
    int modulusLength = modulusLength(pk);
    if (blindSig.length != modulusLength) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "blind signature must be " + modulusLength + " bytes");
    }
    BigInteger n = pk.getModulus();
    BigInteger z = Bytes.os2ip(blindSig);
    if (z.compareTo(n) >= 0) {
      throw new TokenException(
          TokenException.Reason.INVALID_SIGNATURE, "blind signature is not below the modulus");
    }
    byte[] sig = Bytes.i2osp(z.multiply(inv).mod(n), modulusLength);
    if (!verify(pssVerifier(pk, saltLength), msg, sig)) {
      throw new TokenException(
          TokenException.Reason.INVALID_SIGNATURE, "unblinded signature does not verify");
    }
    return sig;
  }

  /**
   * A JDK RSASSA-PSS verifier (SHA-384, MGF1-SHA-384, the given sLen, trailer 0xbc), initialised.
   */
  static Signature pssVerifier(RSAPublicKey pk, int saltLength) {
    try {
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(
          new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, saltLength, 1));
      s.initVerify(pk);
      return s;
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("RSASSA-PSS with SHA-384 is a JDK algorithm", e);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not a usable RSA public key", e);
    }
  }

  /** One verification; false for any failure. The verifier is reset afterwards either way. */
  static boolean verify(Signature verifier, byte[] msg, byte[] sig) {
    try {
      verifier.update(msg);
      return verifier.verify(sig);
    } catch (SignatureException e) {
      return false;
    }
  }

  /**
   * EMSA-PSS-ENCODE, RFC 8017 section 9.1.1, with SHA-384 and MGF1-SHA-384. RFC 9474 calls it with
   * bit_len(n); like RFC 8017's RSASSA-PSS-SIGN (and the test vectors) the encoding uses emBits =
   * modBits - 1, so the leftmost bit is cleared and the result verifies as plain PSS.
   */
  static byte[] emsaPssEncode(byte[] msg, byte[] salt, int emBits) {
    int emLen = (emBits + 7) / 8;
    if (emLen < HASH_LENGTH + salt.length + 2) {
      throw new IllegalArgumentException("encoding error: modulus too small for hash and salt");
    }
    MessageDigest sha384 = Bytes.digest("SHA-384");
    byte[] mHash = sha384.digest(msg);
    sha384.update(new byte[8]);
    sha384.update(mHash);
    sha384.update(salt);
    byte[] h = sha384.digest();
    int dbLen = emLen - HASH_LENGTH - 1;
    byte[] db = new byte[dbLen];
    db[dbLen - salt.length - 1] = 0x01;
    System.arraycopy(salt, 0, db, dbLen - salt.length, salt.length);
    byte[] mask = mgf1Sha384(h, dbLen);
    for (int i = 0; i < dbLen; i++) {
      db[i] ^= mask[i];
    }
    db[0] &= (byte) (0xFF >>> (8 * emLen - emBits));
    byte[] em = Arrays.copyOf(db, emLen);
    System.arraycopy(h, 0, em, dbLen, HASH_LENGTH);
    em[emLen - 1] = (byte) 0xBC;
    return em;
  }

  /** MGF1, RFC 8017 appendix B.2.1, with SHA-384. */
  private static byte[] mgf1Sha384(byte[] seed, int length) {
    MessageDigest sha384 = Bytes.digest("SHA-384");
    byte[] out = new byte[length];
    byte[] counter = new byte[4];
    for (int pos = 0, i = 0; pos < length; i++) {
      counter[0] = (byte) (i >>> 24);
      counter[1] = (byte) (i >>> 16);
      counter[2] = (byte) (i >>> 8);
      counter[3] = (byte) i;
      sha384.update(seed);
      sha384.update(counter);
      byte[] block = sha384.digest();
      int n = Math.min(block.length, length - pos);
      System.arraycopy(block, 0, out, pos, n);
      pos += n;
    }
    return out;
  }

  static int modulusLength(RSAPublicKey pk) {
    return (pk.getModulus().bitLength() + 7) / 8;
  }
}
