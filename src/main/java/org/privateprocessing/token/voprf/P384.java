package org.privateprocessing.token.voprf;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.hash2curve.OPRFHashToScalar;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * The prime-order group P-384 with the encodings of RFC 9497 section 4.4 (ciphersuite P384-SHA384):
 * elements are SEC1 compressed points (Ne = 49), scalars are 48-byte big-endian integers below the
 * group order (Ns = 48).
 *
 * <p>Stateless and thread-safe. BouncyCastle's hash-to-field objects hold a digest and are not, so
 * {@link #hashToScalar} builds a fresh one per call (a SHA-384 digest and two small objects).
 */
final class P384 {
  /** Ne: compressed SEC1 point. */
  static final int ELEMENT_LENGTH = 49;

  /** Ns: scalar length. */
  static final int SCALAR_LENGTH = 48;

  /** Nh: SHA-384 output length. */
  static final int HASH_LENGTH = 48;

  /**
   * BouncyCastle's specialised P-384 ({@code SecP384R1Curve}, fixed-width field arithmetic), the
   * curve its hash-to-curve also uses. {@code NISTNamedCurves} and the ASN.1 {@code
   * org.bouncycastle.asn1.x9.ECNamedCurveTable} give the generic {@code ECCurve.Fp} on BigIntegers
   * instead, several times slower per multiplication (the JCE-side {@code
   * org.bouncycastle.jce.ECNamedCurveTable} does return the specialised curve).
   */
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("P-384");

  static final ECCurve CURVE = PARAMS.getCurve();
  static final BigInteger ORDER = PARAMS.getN();
  static final ECPoint GENERATOR = PARAMS.getG().normalize();

  /**
   * The security parameter k of RFC 9380 for P-384 (section 8.3). With it BouncyCastle's {@link
   * OPRFHashToScalar} expands to L = ceil((384 + 192) / 8) = 72 bytes, the L that RFC 9497 section
   * 4.4 prescribes for HashToScalar.
   */
  private static final int SECURITY_BITS = 192;

  /** Fixed-base multiplications (key generation, proof commitments) reuse a precomputed table. */
  private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private P384() {}

  /** ScalarMultGen(k) = k * G. */
  static ECPoint multiplyGenerator(BigInteger k) {
    return BASE_MULTIPLIER.multiply(GENERATOR, k).normalize();
  }

  /** k * P for an arbitrary point. */
  static ECPoint multiply(ECPoint p, BigInteger k) {
    return p.multiply(k).normalize();
  }

  /**
   * Points produced by BouncyCastle's hash-to-curve live on its own curve instance; bring them onto
   * ours.
   */
  static ECPoint importPoint(ECPoint p) {
    return CURVE.importPoint(p).normalize();
  }

  /**
   * SerializeElement (section 4.4): SEC1 compressed encoding. The identity, which no honest party
   * ever serializes, comes out as BouncyCastle's one-byte {@code 0x00}; a transcript that contains
   * it then simply fails to match.
   */
  static byte[] serializeElement(ECPoint p) {
    return p.getEncoded(true);
  }

  /**
   * DeserializeElement (section 4.4): exactly 49 bytes of a compressed point whose x coordinate is
   * a field element and which is on the curve; the identity is rejected.
   */
  static ECPoint deserializeElement(byte[] bytes) throws VoprfException {
    if (bytes == null || bytes.length != ELEMENT_LENGTH) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR, "an element is " + ELEMENT_LENGTH + " bytes");
    }
    if (bytes[0] != 0x02 && bytes[0] != 0x03) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR,
          "an element is a compressed point (0x02 or 0x03)");
    }
    ECPoint p;
    try {
      // BouncyCastle rejects an x coordinate >= p and an x with no square root for y.
      p = CURVE.decodePoint(bytes).normalize();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new VoprfException(VoprfException.Reason.DESERIALIZE_ERROR, "not a point on P-384");
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR, "not a valid non-identity point on P-384");
    }
    return p;
  }

  /** SerializeScalar (section 4.4): I2OSP(s, 48). */
  static byte[] serializeScalar(BigInteger s) {
    if (s == null || s.signum() < 0 || s.compareTo(ORDER) >= 0) {
      throw new IllegalArgumentException("scalar out of range [0, order)");
    }
    return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, s);
  }

  /** DeserializeScalar (section 4.4): exactly 48 bytes, value in [0, order). */
  static BigInteger deserializeScalar(byte[] bytes) throws VoprfException {
    if (bytes == null || bytes.length != SCALAR_LENGTH) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR, "a scalar is " + SCALAR_LENGTH + " bytes");
    }
    BigInteger s = new BigInteger(1, bytes);
    if (s.compareTo(ORDER) >= 0) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR, "scalar not below the group order");
    }
    return s;
  }

  /** RandomScalar (section 2.1): uniform in [1, order - 1]. */
  static BigInteger randomScalar(SecureRandom random) {
    return BigIntegers.createRandomInRange(BigInteger.ONE, ORDER.subtract(BigInteger.ONE), random);
  }

  static boolean isNonZeroScalar(BigInteger s) {
    return s != null && s.signum() > 0 && s.compareTo(ORDER) < 0;
  }

  /**
   * HashToScalar (section 4.4): hash_to_field of RFC 9380 with expand_message_xmd(SHA-384), L = 72
   * and the group order as modulus, i.e. OS2IP(expand_message_xmd(msg, dst, 72)) mod order.
   * BouncyCastle's {@link OPRFHashToScalar} does exactly that with the DST it is given per call.
   */
  static BigInteger hashToScalar(byte[] message, byte[] dst) {
    return new OPRFHashToScalar(CURVE, new SHA384Digest(), SECURITY_BITS).process(message, dst);
  }
}
