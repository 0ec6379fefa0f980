package org.privateprocessing.token.voprf;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.math.ec.ECPoint;

/**
 * RFC 9497, ciphersuite P384-SHA384 ({@code "OPRFV1-" || mode || "-P384-SHA384"}), VOPRF mode
 * (0x01): the verifiable OPRF behind Privacy Pass token type 0x0001 (RFC 9578 section 5).
 *
 * <p>Roles: the server (issuer) holds a {@link KeyPair} and runs {@link #blindEvaluate}; the client
 * runs {@link #blind} then {@link #finalize}, which verifies the server's DLEQ proof before
 * unblinding; the server checks a redeemed token with {@link #evaluate}. Randomness is passed in (a
 * {@link SecureRandom}, or fixed scalars for test vectors).
 *
 * <p>Thread-safe and stateless. Not constant-time: scalar arithmetic uses {@link BigInteger}.
 * Exception messages never contain scalars, inputs or outputs.
 */
public final class VoprfP384 {
  /** Ne: a compressed SEC1 point (RFC 9497 section 4.4). */
  public static final int ELEMENT_LENGTH = 49;

  /** Ns: a big-endian scalar (RFC 9497 section 4.4). */
  public static final int SCALAR_LENGTH = 48;

  /** Nh: SHA-384 output, the PRF output length (RFC 9497 section 4.4). */
  public static final int OUTPUT_LENGTH = 48;

  /** A proof is c || s (RFC 9497 section 2.2.1). */
  public static final int PROOF_LENGTH = 2 * SCALAR_LENGTH;

  /** DeriveKeyPair seed length (RFC 9497 section 3.2.1: Nseed = 32). */
  public static final int SEED_LENGTH = 32;

  /**
   * A batch index is I2OSP(i, 2) in the composite transcript (section 2.2.1), so batches stop at
   * 2^16.
   */
  public static final int MAX_BATCH_SIZE = 1 << 16;

  private static final OprfSuite SUITE = OprfSuite.VOPRF;

  private VoprfP384() {}

  /**
   * A server key pair: the secret scalar skS in [1, order) and SerializeElement(skS * G).
   *
   * <p>The constructor checks that the public key belongs to the secret key (one fixed-base
   * multiplication), so a mismatched pair cannot sign proofs no client would accept. {@link
   * #toString()} never shows the secret.
   */
  public record KeyPair(BigInteger secretKey, byte[] publicKey) {
    public KeyPair {
      Objects.requireNonNull(secretKey, "secretKey");
      Objects.requireNonNull(publicKey, "publicKey");
      if (!P384.isNonZeroScalar(secretKey)) {
        throw new IllegalArgumentException("secret key out of range [1, order)");
      }
      if (!Arrays.equals(publicKey, P384.serializeElement(P384.multiplyGenerator(secretKey)))) {
        throw new IllegalArgumentException("public key does not belong to the secret key");
      }
      publicKey = publicKey.clone();
    }

    /** SerializeElement(pkS), 49 bytes (a copy). */
    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    /** SerializeScalar(skS), 48 bytes: the form {@link #fromSecretKey} reads back. */
    public byte[] serializedSecretKey() {
      return P384.serializeScalar(secretKey);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyPair other
          && secretKey.equals(other.secretKey)
          && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      return "KeyPair[secretKey=<redacted>, publicKey="
          + java.util.HexFormat.of().formatHex(publicKey)
          + "]";
    }
  }

  /**
   * The client's state between Blind and Finalize: the blind scalar and SerializeElement of the
   * blinded element (section 3.3.1). {@link #toString()} never shows the blind.
   */
  public record Blinded(BigInteger blind, byte[] blindedElement) {
    public Blinded {
      Objects.requireNonNull(blind, "blind");
      Objects.requireNonNull(blindedElement, "blindedElement");
      blindedElement = blindedElement.clone();
    }

    /** SerializeElement(blindedElement), 49 bytes (a copy). */
    @Override
    public byte[] blindedElement() {
      return blindedElement.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Blinded other
          && blind.equals(other.blind)
          && Arrays.equals(blindedElement, other.blindedElement);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(blindedElement);
    }

    @Override
    public String toString() {
      return "Blinded[blind=<redacted>, blindedElement="
          + java.util.HexFormat.of().formatHex(blindedElement)
          + "]";
    }
  }

  /**
   * The server's answer: one serialized evaluated element per blinded element, in order, and one
   * batched DLEQ proof c || s (96 bytes). Lengths are checked by {@link #finalize}, which reports
   * bad ones as DESERIALIZE_ERROR, so a response can be wrapped here before it is validated.
   */
  public record Evaluation(List<byte[]> evaluatedElements, byte[] proof) {
    public Evaluation {
      Objects.requireNonNull(evaluatedElements, "evaluatedElements");
      Objects.requireNonNull(proof, "proof");
      evaluatedElements = copyAll(evaluatedElements);
      proof = proof.clone();
    }

    /** The serialized evaluated elements (copies). */
    @Override
    public List<byte[]> evaluatedElements() {
      return copyAll(evaluatedElements);
    }

    /** The proof c || s (a copy). */
    @Override
    public byte[] proof() {
      return proof.clone();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Evaluation other)
          || other.evaluatedElements.size() != evaluatedElements.size()
          || !Arrays.equals(proof, other.proof)) {
        return false;
      }
      for (int i = 0; i < evaluatedElements.size(); i++) {
        if (!Arrays.equals(evaluatedElements.get(i), other.evaluatedElements.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(proof);
    }

    @Override
    public String toString() {
      return "Evaluation["
          + evaluatedElements.size()
          + " evaluated element(s), proof="
          + java.util.HexFormat.of().formatHex(proof)
          + "]";
    }

    private static List<byte[]> copyAll(List<byte[]> elements) {
      List<byte[]> copy = new ArrayList<>(elements.size());
      for (byte[] e : elements) {
        copy.add(Objects.requireNonNull(e, "evaluated element").clone());
      }
      return List.copyOf(copy);
    }
  }

  /**
   * DeriveKeyPair (RFC 9497 section 3.2.1) in VOPRF mode: a key pair determined by a 32-byte seed
   * and public info. Failure after 256 counters (probability about 2^-98000) surfaces as an {@link
   * IllegalStateException} whose cause carries DERIVE_KEY_PAIR_ERROR.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes or info is 2^16 bytes or longer
   */
  public static KeyPair deriveKeyPair(byte[] seed, byte[] info) {
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(info, "info");
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("seed must be " + SEED_LENGTH + " bytes");
    }
    if (info.length > OprfSuite.MAX_FRAMED_LENGTH) {
      throw new IllegalArgumentException("info longer than 65535 bytes");
    }
    BigInteger skS;
    try {
      skS = SUITE.deriveSecretKey(seed, info);
    } catch (VoprfException e) {
      throw new IllegalStateException("DeriveKeyPair failed", e);
    }
    return keyPairOf(skS);
  }

  /** A key pair with a uniformly random secret scalar in [1, order) (RFC 9497 section 3.2). */
  public static KeyPair generateKeyPair(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return keyPairOf(P384.randomScalar(random));
  }

  /**
   * Rebuilds a key pair from SerializeScalar(skS). A scalar that is not 48 bytes, not below the
   * order, or zero is a DESERIALIZE_ERROR.
   */
  public static KeyPair fromSecretKey(byte[] serializedScalar) throws VoprfException {
    BigInteger skS = P384.deserializeScalar(serializedScalar);
    if (skS.signum() == 0) {
      throw new VoprfException(
          VoprfException.Reason.DESERIALIZE_ERROR, "a secret key is never zero");
    }
    return keyPairOf(skS);
  }

  private static KeyPair keyPairOf(BigInteger skS) {
    return new KeyPair(skS, P384.serializeElement(P384.multiplyGenerator(skS)));
  }

  /**
   * Blind (RFC 9497 section 3.3.1) with a fresh random blind.
   *
   * @throws VoprfException INVALID_INPUT if the input maps to the identity or is 2^16 bytes or
   *     longer
   */
  public static Blinded blind(byte[] input, SecureRandom random) throws VoprfException {
    Objects.requireNonNull(random, "random");
    return blind(input, P384.randomScalar(random));
  }

  /**
   * Blind (RFC 9497 section 3.3.1) with a fixed blind, SerializeScalar form, for test vectors.
   *
   * @throws VoprfException DESERIALIZE_ERROR for a malformed scalar, INVALID_INPUT for a zero blind
   *     (it cannot be inverted) or an input that maps to the identity
   */
  public static Blinded blind(byte[] input, byte[] fixedBlindScalar) throws VoprfException {
    BigInteger blind = P384.deserializeScalar(fixedBlindScalar);
    if (blind.signum() == 0) {
      throw new VoprfException(VoprfException.Reason.INVALID_INPUT, "the blind must be non-zero");
    }
    return blind(input, blind);
  }

  private static Blinded blind(byte[] input, BigInteger blind) throws VoprfException {
    Objects.requireNonNull(input, "input");
    ECPoint inputElement = SUITE.inputElement(input);
    ECPoint blindedElement = P384.multiply(inputElement, blind);
    return new Blinded(blind, P384.serializeElement(blindedElement));
  }

  /**
   * BlindEvaluate (RFC 9497 section 3.3.2) over a batch of blinded elements, with one batched proof
   * from GenerateProof (section 2.2.1) using fresh proof randomness.
   *
   * @throws VoprfException DESERIALIZE_ERROR for a blinded element that is not a valid non-identity
   *     point; INVALID_INPUT for an empty batch or one larger than {@link #MAX_BATCH_SIZE}
   */
  public static Evaluation blindEvaluate(
      KeyPair key, List<byte[]> blindedElements, SecureRandom random) throws VoprfException {
    Objects.requireNonNull(random, "random");
    return blindEvaluate(key, blindedElements, P384.randomScalar(random));
  }

  /**
   * BlindEvaluate with fixed proof randomness r (SerializeScalar form), for test vectors. A zero r
   * is INVALID_INPUT: it would reveal the secret key through s = -c * skS.
   */
  public static Evaluation blindEvaluate(
      KeyPair key, List<byte[]> blindedElements, byte[] fixedProofRandomScalar)
      throws VoprfException {
    BigInteger r = P384.deserializeScalar(fixedProofRandomScalar);
    if (r.signum() == 0) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_INPUT, "the proof randomness must be non-zero");
    }
    return blindEvaluate(key, blindedElements, r);
  }

  private static Evaluation blindEvaluate(KeyPair key, List<byte[]> blindedElements, BigInteger r)
      throws VoprfException {
    Objects.requireNonNull(key, "key");
    checkBatchSize(blindedElements);
    BigInteger skS = key.secretKey();
    ECPoint pkS = P384.deserializeElement(key.publicKey);
    List<ECPoint> c = deserializeAll(blindedElements);
    List<ECPoint> d = new ArrayList<>(c.size());
    List<byte[]> evaluated = new ArrayList<>(c.size());
    for (ECPoint blindedElement : c) {
      ECPoint evaluatedElement = P384.multiply(blindedElement, skS);
      d.add(evaluatedElement);
      evaluated.add(P384.serializeElement(evaluatedElement));
    }
    byte[] proof = SUITE.generateProof(skS, P384.GENERATOR, pkS, c, d, r);
    return new Evaluation(evaluated, proof);
  }

  /**
   * Finalize (RFC 9497 section 3.3.2) for a batch: VerifyProof (section 2.2.2) of the server's
   * batched proof over all blinded and evaluated elements, then for each input unblind and hash.
   * {@code inputs}, {@code blinded} and the evaluated elements correspond by position.
   *
   * @return one 48-byte output per input, in order
   * @throws VoprfException INVALID_PROOF if the proof does not verify under {@code publicKey};
   *     DESERIALIZE_ERROR for a malformed public key, evaluated element or proof; INVALID_INPUT for
   *     empty or mismatched lists
   */
  public static List<byte[]> finalize(
      byte[] publicKey, List<byte[]> inputs, List<Blinded> blinded, Evaluation evaluation)
      throws VoprfException {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(blinded, "blinded");
    Objects.requireNonNull(evaluation, "evaluation");
    List<byte[]> evaluatedBytes = evaluation.evaluatedElements;
    checkBatchSize(inputs);
    if (blinded.size() != inputs.size() || evaluatedBytes.size() != inputs.size()) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_INPUT,
          "inputs, blinded elements and evaluated elements differ in number");
    }
    ECPoint pkS = P384.deserializeElement(publicKey);
    List<byte[]> blindedBytes = new ArrayList<>(blinded.size());
    for (Blinded b : blinded) {
      Objects.requireNonNull(b, "blinded");
      if (!P384.isNonZeroScalar(b.blind())) {
        throw new VoprfException(
            VoprfException.Reason.INVALID_INPUT, "blind out of range [1, order)");
      }
      blindedBytes.add(b.blindedElement);
    }
    List<ECPoint> c = deserializeAll(blindedBytes);
    List<ECPoint> d = deserializeAll(evaluatedBytes);
    if (!SUITE.verifyProof(P384.GENERATOR, pkS, c, d, evaluation.proof)) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_PROOF, "the server's proof does not verify");
    }
    List<byte[]> outputs = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      byte[] input = Objects.requireNonNull(inputs.get(i), "input");
      OprfSuite.checkFramedLength(input, "input");
      BigInteger inverse = blinded.get(i).blind().modInverse(P384.ORDER);
      ECPoint unblinded = P384.multiply(d.get(i), inverse);
      outputs.add(OprfSuite.finalizeHash(input, unblinded));
    }
    return List.copyOf(outputs);
  }

  /**
   * The server's unblinded evaluation of the PRF (RFC 9497 section 3.3.2, Evaluate): Hash(len ||
   * input || len || SerializeElement(skS * HashToGroup(input)) || "Finalize"). Equal to the
   * client's {@link #finalize} output for the same input; used to check a redeemed token.
   *
   * @throws VoprfException INVALID_INPUT if the input maps to the identity or is 2^16 bytes or
   *     longer
   * @throws IllegalArgumentException if the secret key is not in [1, order)
   */
  public static byte[] evaluate(BigInteger secretKey, byte[] input) throws VoprfException {
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(input, "input");
    if (!P384.isNonZeroScalar(secretKey)) {
      throw new IllegalArgumentException("secret key out of range [1, order)");
    }
    ECPoint evaluatedElement = P384.multiply(SUITE.inputElement(input), secretKey);
    return OprfSuite.finalizeHash(input, evaluatedElement);
  }

  /**
   * SerializeScalar (RFC 9497 section 4.4): 48 bytes big-endian.
   *
   * @throws IllegalArgumentException if {@code s} is not in [0, order)
   */
  public static byte[] serializeScalar(BigInteger s) {
    return P384.serializeScalar(s);
  }

  /**
   * DeserializeScalar (RFC 9497 section 4.4): exactly 48 bytes encoding a value below the order.
   */
  public static BigInteger deserializeScalar(byte[] b) throws VoprfException {
    return P384.deserializeScalar(b);
  }

  /**
   * DeserializeElement (RFC 9497 section 4.4) as a check: throws DESERIALIZE_ERROR unless {@code
   * element} is a compressed, on-curve, non-identity P-384 point. Useful to validate a public key
   * or a blinded element at a protocol boundary.
   */
  public static void checkElement(byte[] element) throws VoprfException {
    P384.deserializeElement(element);
  }

  private static void checkBatchSize(List<?> batch) throws VoprfException {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty() || batch.size() > MAX_BATCH_SIZE) {
      throw new VoprfException(
          VoprfException.Reason.INVALID_INPUT, "a batch holds 1.." + MAX_BATCH_SIZE + " elements");
    }
  }

  private static List<ECPoint> deserializeAll(List<byte[]> elements) throws VoprfException {
    List<ECPoint> points = new ArrayList<>(elements.size());
    for (byte[] e : elements) {
      points.add(P384.deserializeElement(e));
    }
    return points;
  }
}
