package org.privateprocessing.token.voprf;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The protocol core of RFC 9497 for ciphersuite P384-SHA384, parameterised by mode because the mode
 * byte is part of every domain separation tag (section 3.1): OPRF (0x00) and VOPRF (0x01). POPRF is
 * not implemented.
 *
 * <p>Stateless apart from a per-thread hash-to-curve object: BouncyCastle's {@link
 * HashToEllipticCurve} holds a digest (not thread-safe) and builds its own curve and map-to-curve
 * constants on creation, so each thread keeps one per mode rather than one per call.
 */
final class OprfSuite {
  /** modeOPRF, RFC 9497 section 3.1. */
  static final int MODE_OPRF = 0x00;

  /** modeVOPRF, RFC 9497 section 3.1. */
  static final int MODE_VOPRF = 0x01;

  /** The ciphersuite identifier, RFC 9497 section 4.4. */
  static final String IDENTIFIER = "P384-SHA384";

  // Labels of RFC 9497, spelled exactly as there (sections 2.2.1, 3.1, 3.2.1, 3.3.1, 4.4).
  private static final byte[] LABEL_SEED = ascii("Seed-");
  private static final byte[] LABEL_COMPOSITE = ascii("Composite");
  private static final byte[] LABEL_CHALLENGE = ascii("Challenge");
  private static final byte[] LABEL_FINALIZE = ascii("Finalize");
  private static final byte[] LABEL_DERIVE_KEY_PAIR = ascii("DeriveKeyPair");
  private static final byte[] LABEL_HASH_TO_GROUP = ascii("HashToGroup-");
  private static final byte[] LABEL_HASH_TO_SCALAR = ascii("HashToScalar-");

  /** I2OSP(len, 2) framing caps every framed string below 2^16 bytes. */
  static final int MAX_FRAMED_LENGTH = 0xFFFF;

  /** DeriveKeyPair gives up after counter 255 (section 3.2.1). */
  private static final int MAX_DERIVE_COUNTER = 255;

  // Declared after the labels: static initialisers run in textual order.
  static final OprfSuite OPRF = new OprfSuite(MODE_OPRF);
  static final OprfSuite VOPRF = new OprfSuite(MODE_VOPRF);

  private final int mode;
  private final byte[] contextString;
  private final byte[] hashToScalarDst;
  private final byte[] deriveKeyPairDst;
  private final byte[] seedDst;
  private final ThreadLocal<HashToEllipticCurve> hashToCurve;

  private OprfSuite(int mode) {
    this.mode = mode;
    // contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier (section 3.1).
    this.contextString =
        concat(ascii("OPRFV1-"), new byte[] {(byte) mode}, ascii("-" + IDENTIFIER));
    this.hashToScalarDst = concat(LABEL_HASH_TO_SCALAR, contextString);
    // No hyphen after "DeriveKeyPair": section 3.2.1 concatenates it directly.
    this.deriveKeyPairDst = concat(LABEL_DERIVE_KEY_PAIR, contextString);
    this.seedDst = concat(LABEL_SEED, contextString);
    byte[] hashToGroupDst = concat(LABEL_HASH_TO_GROUP, contextString);
    // BouncyCastle takes the DST as a String and encodes it as UTF-8. Every byte here is ASCII
    // (the mode byte is 0x00 or 0x01), so a Latin-1 decode round-trips to the same bytes.
    String dstString = new String(hashToGroupDst, StandardCharsets.ISO_8859_1);
    if (!Arrays.equals(dstString.getBytes(StandardCharsets.UTF_8), hashToGroupDst)) {
      throw new IllegalStateException("HashToGroup DST is not ASCII");
    }
    this.hashToCurve =
        ThreadLocal.withInitial(
            () -> HashToEllipticCurve.getInstance(HashToCurveProfile.P384_XMD_SHA_384, dstString));
  }

  int mode() {
    return mode;
  }

  byte[] contextString() {
    return contextString.clone();
  }

  /**
   * HashToGroup (section 4.4): hash_to_curve with suite P384_XMD:SHA-384_SSWU_RO_ and DST
   * "HashToGroup-" || contextString.
   */
  ECPoint hashToGroup(byte[] input) {
    return P384.importPoint(hashToCurve.get().hashToCurve(input));
  }

  /** HashToScalar with the default DST "HashToScalar-" || contextString (section 4.4). */
  BigInteger hashToScalar(byte[] message) {
    return P384.hashToScalar(message, hashToScalarDst);
  }

  /**
   * DeriveKeyPair (section 3.2.1), secret half: HashToScalar(seed || I2OSP(len(info), 2) || info ||
   * I2OSP(counter, 1)) with DST "DeriveKeyPair" || contextString, until the scalar is non-zero.
   */
  BigInteger deriveSecretKey(byte[] seed, byte[] info) throws VoprfException {
    if (info.length > MAX_FRAMED_LENGTH) {
      throw new VoprfException(VoprfException.Reason.INVALID_INPUT, "info longer than 65535 bytes");
    }
    byte[] deriveInput = concat(seed, i2osp2(info.length), info);
    byte[] message = Arrays.copyOf(deriveInput, deriveInput.length + 1);
    for (int counter = 0; counter <= MAX_DERIVE_COUNTER; counter++) {
      message[deriveInput.length] = (byte) counter;
      BigInteger skS = P384.hashToScalar(message, deriveKeyPairDst);
      if (skS.signum() != 0) {
        return skS;
      }
    }
    throw new VoprfException(
        VoprfException.Reason.DERIVE_KEY_PAIR_ERROR, "no non-zero scalar after 256 attempts");
  }

  /**
   * The input element for Blind and Evaluate; the identity is InvalidInputError (section 3.3.1).
   */
  ECPoint inputElement(byte[] input) throws VoprfException {
    checkFramedLength(input, "input");
    ECPoint element = hashToGroup(input);
    if (element.isInfinity()) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_INPUT, "input maps to the identity element");
    }
    return element;
  }

  /** The composite elements (M, Z) of section 2.2.1. */
  record Composites(ECPoint m, ECPoint z) {}

  /**
   * ComputeComposites (section 2.2.1) when the prover knows k: Z = k * M saves one multiplication
   * per element (ComputeCompositesFast).
   */
  Composites computeCompositesFast(BigInteger k, ECPoint b, List<ECPoint> c, List<ECPoint> d) {
    ECPoint m = compositeM(b, c, d);
    return new Composites(m, P384.multiply(m, k));
  }

  /** ComputeComposites (section 2.2.1), the verifier's version. */
  Composites computeComposites(ECPoint b, List<ECPoint> c, List<ECPoint> d) {
    byte[] seed = compositeSeed(b);
    ECPoint m = P384.CURVE.getInfinity();
    ECPoint z = P384.CURVE.getInfinity();
    for (int i = 0; i < c.size(); i++) {
      BigInteger di = compositeScalar(seed, i, c.get(i), d.get(i));
      m = c.get(i).multiply(di).add(m);
      z = d.get(i).multiply(di).add(z);
    }
    return new Composites(m.normalize(), z.normalize());
  }

  private ECPoint compositeM(ECPoint b, List<ECPoint> c, List<ECPoint> d) {
    byte[] seed = compositeSeed(b);
    ECPoint m = P384.CURVE.getInfinity();
    for (int i = 0; i < c.size(); i++) {
      m = c.get(i).multiply(compositeScalar(seed, i, c.get(i), d.get(i))).add(m);
    }
    return m.normalize();
  }

  /** seed = Hash(I2OSP(len(Bm), 2) || Bm || I2OSP(len(seedDST), 2) || seedDST). */
  private byte[] compositeSeed(ECPoint b) {
    byte[] bm = P384.serializeElement(b);
    return sha384(framed(bm), framed(seedDst));
  }

  /**
   * di = HashToScalar(I2OSP(len(seed), 2) || seed || I2OSP(i, 2) || I2OSP(len(Ci), 2) || Ci ||
   * I2OSP(len(Di), 2) || Di || "Composite").
   */
  private BigInteger compositeScalar(byte[] seed, int i, ECPoint ci, ECPoint di) {
    byte[] transcript =
        concat(
            framed(seed),
            i2osp2(i),
            framed(P384.serializeElement(ci)),
            framed(P384.serializeElement(di)),
            LABEL_COMPOSITE);
    return hashToScalar(transcript);
  }

  /**
   * GenerateProof (section 2.2.1) that log_A(B) = log_C[i](D[i]) = k, with the given proof
   * randomness r. Returns SerializeScalar(c) || SerializeScalar(s).
   */
  byte[] generateProof(
      BigInteger k, ECPoint a, ECPoint b, List<ECPoint> c, List<ECPoint> d, BigInteger r) {
    Composites composites = computeCompositesFast(k, b, c, d);
    // A is always the generator here, so the fixed-base table applies.
    ECPoint t2 = a.equals(P384.GENERATOR) ? P384.multiplyGenerator(r) : P384.multiply(a, r);
    ECPoint t3 = P384.multiply(composites.m(), r);
    BigInteger challenge = challenge(b, composites, t2, t3);
    BigInteger s = r.subtract(challenge.multiply(k)).mod(P384.ORDER);
    return concat(P384.serializeScalar(challenge), P384.serializeScalar(s));
  }

  /** VerifyProof (section 2.2.2). Malformed proof scalars are a DeserializeError. */
  boolean verifyProof(ECPoint a, ECPoint b, List<ECPoint> c, List<ECPoint> d, byte[] proof)
      throws VoprfException {
    if (proof == null || proof.length != 2 * P384.SCALAR_LENGTH) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR,
          "a proof is " + 2 * P384.SCALAR_LENGTH + " bytes");
    }
    BigInteger proofC = P384.deserializeScalar(Arrays.copyOfRange(proof, 0, P384.SCALAR_LENGTH));
    BigInteger proofS =
        P384.deserializeScalar(Arrays.copyOfRange(proof, P384.SCALAR_LENGTH, proof.length));
    Composites composites = computeComposites(b, c, d);
    // Shamir's trick (one interleaved ladder per sum) costs little more than one multiplication.
    ECPoint t2 = ECAlgorithms.sumOfTwoMultiplies(a, proofS, b, proofC).normalize();
    ECPoint t3 =
        ECAlgorithms.sumOfTwoMultiplies(composites.m(), proofS, composites.z(), proofC).normalize();
    return challenge(b, composites, t2, t3).equals(proofC);
  }

  /**
   * c = HashToScalar(I2OSP(len(Bm), 2) || Bm || I2OSP(len(a0), 2) || a0 || I2OSP(len(a1), 2) || a1
   * || I2OSP(len(a2), 2) || a2 || I2OSP(len(a3), 2) || a3 || "Challenge").
   */
  private BigInteger challenge(ECPoint b, Composites composites, ECPoint t2, ECPoint t3) {
    byte[] transcript =
        concat(
            framed(P384.serializeElement(b)),
            framed(P384.serializeElement(composites.m())),
            framed(P384.serializeElement(composites.z())),
            framed(P384.serializeElement(t2)),
            framed(P384.serializeElement(t3)),
            LABEL_CHALLENGE);
    return hashToScalar(transcript);
  }

  /**
   * The last step of Finalize and Evaluate (sections 3.3.1, 3.3.2): Hash(I2OSP(len(input), 2) ||
   * input || I2OSP(len(element), 2) || element || "Finalize"). The same in every mode: the mode is
   * already bound through HashToGroup.
   */
  static byte[] finalizeHash(byte[] input, ECPoint unblindedElement) {
    return sha384(framed(input), framed(P384.serializeElement(unblindedElement)), LABEL_FINALIZE);
  }

  static void checkFramedLength(byte[] bytes, String what) throws VoprfException {
    if (bytes.length > MAX_FRAMED_LENGTH) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_INPUT, what + " longer than 65535 bytes");
    }
  }

  private static byte[] framed(byte[] bytes) {
    return concat(i2osp2(bytes.length), bytes);
  }

  private static byte[] i2osp2(int value) {
    if (value < 0 || value > MAX_FRAMED_LENGTH) {
      throw new IllegalArgumentException("value does not fit in two bytes");
    }
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  private static byte[] sha384(byte[]... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-384", e);
    }
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
