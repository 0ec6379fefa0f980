package org.privateprocessing.token.voprf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.token.voprf.VoprfVectors.hex;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.token.voprf.VoprfException.Reason;
import org.privateprocessing.token.voprf.VoprfVectors.Case;

/** Every check of the VOPRF layer rejects what it must, with the specific reason. */
class VoprfNegativeTest {
  /** The RFC's batch-of-two VOPRF vector: a valid exchange to tamper with. */
  private static Case batch;

  private static List<VoprfP384.Blinded> blinded;

  @BeforeAll
  static void loadValidExchange() {
    batch =
        VoprfVectors.rfc(OprfSuite.MODE_VOPRF).stream()
            .filter(c -> c.inputs().size() == 2)
            .findFirst()
            .orElseThrow();
    blinded = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      blinded.add(
          new VoprfP384.Blinded(
              new BigInteger(1, batch.blinds().get(i)), batch.blindedElements().get(i)));
    }
  }

  private static List<byte[]> finalizeWith(byte[] publicKey, List<byte[]> evaluated, byte[] proof)
      throws VoprfException {
    return VoprfP384.finalize(
        publicKey, batch.inputs(), blinded, new VoprfP384.Evaluation(evaluated, proof));
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(VoprfException.class)
        .satisfies(e -> assertThat(((VoprfException) e).reason()).isEqualTo(reason));
  }

  private static byte[] flipBit(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    return copy;
  }

  /** A 49-byte compressed encoding whose x has no y on P-384 (x^3 - 3x + b is a non-residue). */
  private static byte[] offCurveElement() {
    for (int x = 1; ; x++) {
      byte[] candidate = new byte[VoprfP384.ELEMENT_LENGTH];
      candidate[0] = 0x02;
      System.arraycopy(
          BigIntegers.asUnsignedByteArray(48, BigInteger.valueOf(x)), 0, candidate, 1, 48);
      try {
        P384.CURVE.decodePoint(candidate);
      } catch (IllegalArgumentException notOnCurve) {
        return candidate;
      }
    }
  }

  @Test
  @DisplayName("the valid exchange being tampered with finalizes")
  void untampered_finalizes() throws Exception {
    assertThat(finalizeWith(batch.pkSm(), batch.evaluationElements(), batch.proof())).hasSize(2);
  }

  @Test
  @DisplayName("flipping any one of a sample of proof bits gives INVALID_PROOF")
  void tamperedProof_isInvalidProof() {
    // Bits in c and s, high and low. The top bit of each scalar is left alone: setting it could
    // lift the scalar above the order, which is a DESERIALIZE_ERROR rather than a failed check.
    for (int bit : new int[] {5, 100, 383, 390, 500, 767}) {
      byte[] proof = flipBit(batch.proof(), bit);
      assertReason(
          () -> finalizeWith(batch.pkSm(), batch.evaluationElements(), proof),
          Reason.INVALID_PROOF);
    }
  }

  @Test
  @DisplayName("a proof scalar not below the group order is a DESERIALIZE_ERROR")
  void proofScalarAboveOrder_isDeserializeError() {
    byte[] proof = batch.proof().clone();
    Arrays.fill(proof, 0, 48, (byte) 0xFF);
    assertReason(
        () -> finalizeWith(batch.pkSm(), batch.evaluationElements(), proof),
        Reason.DESERIALIZE_ERROR);
    byte[] orderAsS = batch.proof().clone();
    System.arraycopy(
        P384.serializeScalar(P384.ORDER.subtract(BigInteger.ONE)), 0, orderAsS, 48, 48);
    orderAsS[95]++; // n - 1 + 1 = n
    assertReason(
        () -> finalizeWith(batch.pkSm(), batch.evaluationElements(), orderAsS),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("a proof of the wrong length is a DESERIALIZE_ERROR")
  void proofWrongLength_isDeserializeError() {
    assertReason(
        () ->
            finalizeWith(
                batch.pkSm(), batch.evaluationElements(), Arrays.copyOf(batch.proof(), 95)),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () ->
            finalizeWith(
                batch.pkSm(), batch.evaluationElements(), Arrays.copyOf(batch.proof(), 97)),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("verifying under a different public key gives INVALID_PROOF")
  void wrongPublicKey_isInvalidProof() {
    byte[] otherKey = VoprfP384.generateKeyPair(new SecureRandom()).publicKey();
    assertReason(
        () -> finalizeWith(otherKey, batch.evaluationElements(), batch.proof()),
        Reason.INVALID_PROOF);
  }

  @Test
  @DisplayName("swapped or substituted evaluated elements give INVALID_PROOF")
  void substitutedEvaluatedElements_areInvalidProof() throws Exception {
    List<byte[]> swapped =
        List.of(batch.evaluationElements().get(1), batch.evaluationElements().get(0));
    assertReason(() -> finalizeWith(batch.pkSm(), swapped, batch.proof()), Reason.INVALID_PROOF);
    // A valid point that is not skS times the blinded element: the generator.
    byte[] generator = P384.serializeElement(P384.GENERATOR);
    List<byte[]> substituted = List.of(batch.evaluationElements().get(0), generator);
    assertReason(
        () -> finalizeWith(batch.pkSm(), substituted, batch.proof()), Reason.INVALID_PROOF);
  }

  @Test
  @DisplayName("an evaluated element off the curve is a DESERIALIZE_ERROR")
  void evaluatedElementOffCurve_isDeserializeError() {
    List<byte[]> evaluated = List.of(batch.evaluationElements().get(0), offCurveElement());
    assertReason(
        () -> finalizeWith(batch.pkSm(), evaluated, batch.proof()), Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("the identity, in SEC1 (0x00) or as 49 zero bytes, is a DESERIALIZE_ERROR")
  void identity_isDeserializeError() {
    assertReason(
        () ->
            finalizeWith(
                batch.pkSm(),
                List.of(batch.evaluationElements().get(0), new byte[] {0}),
                batch.proof()),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () ->
            finalizeWith(
                batch.pkSm(),
                List.of(new byte[49], batch.evaluationElements().get(1)),
                batch.proof()),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.checkElement(P384.serializeElement(P384.CURVE.getInfinity())),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("an x coordinate not below the field prime is a DESERIALIZE_ERROR")
  void xNotBelowFieldPrime_isDeserializeError() {
    byte[] element = new byte[49];
    element[0] = 0x03;
    System.arraycopy(
        BigIntegers.asUnsignedByteArray(48, P384.CURVE.getField().getCharacteristic()),
        0,
        element,
        1,
        48);
    assertReason(() -> VoprfP384.checkElement(element), Reason.DESERIALIZE_ERROR);
    Arrays.fill(element, 1, 49, (byte) 0xFF);
    assertReason(() -> VoprfP384.checkElement(element), Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("uncompressed, hybrid, truncated and over-long encodings are a DESERIALIZE_ERROR")
  void otherEncodings_areDeserializeErrors() {
    byte[] uncompressed = P384.GENERATOR.getEncoded(false);
    assertReason(() -> VoprfP384.checkElement(uncompressed), Reason.DESERIALIZE_ERROR);
    byte[] compressed = P384.serializeElement(P384.GENERATOR);
    byte[] hybridPrefix = compressed.clone();
    hybridPrefix[0] = 0x06;
    assertReason(() -> VoprfP384.checkElement(hybridPrefix), Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.checkElement(Arrays.copyOf(compressed, 48)), Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.checkElement(Arrays.copyOf(compressed, 50)), Reason.DESERIALIZE_ERROR);
    assertReason(() -> VoprfP384.checkElement(null), Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("a malformed public key is a DESERIALIZE_ERROR")
  void malformedPublicKey_isDeserializeError() {
    assertReason(
        () -> finalizeWith(offCurveElement(), batch.evaluationElements(), batch.proof()),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () ->
            finalizeWith(
                Arrays.copyOf(batch.pkSm(), 48), batch.evaluationElements(), batch.proof()),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName(
      "the issuer rejects a blinded element off the curve or the identity with DESERIALIZE_ERROR")
  void blindEvaluate_rejectsInvalidBlindedElements() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(batch.skSm());
    SecureRandom random = new SecureRandom();
    assertReason(
        () -> VoprfP384.blindEvaluate(key, List.of(offCurveElement()), random),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.blindEvaluate(key, List.of(new byte[] {0}), random),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () ->
            VoprfP384.blindEvaluate(
                key, List.of(batch.blindedElements().get(0), new byte[49]), random),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName("empty batches and lists of different lengths are INVALID_INPUT")
  void batchShape_isChecked() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(batch.skSm());
    assertReason(
        () -> VoprfP384.blindEvaluate(key, List.of(), new SecureRandom()), Reason.INVALID_INPUT);
    assertReason(
        () ->
            VoprfP384.finalize(
                batch.pkSm(),
                batch.inputs().subList(0, 1),
                blinded,
                new VoprfP384.Evaluation(batch.evaluationElements(), batch.proof())),
        Reason.INVALID_INPUT);
    assertReason(
        () ->
            VoprfP384.finalize(
                batch.pkSm(),
                batch.inputs(),
                blinded,
                new VoprfP384.Evaluation(batch.evaluationElements().subList(0, 1), batch.proof())),
        Reason.INVALID_INPUT);
    assertReason(
        () ->
            VoprfP384.finalize(
                batch.pkSm(),
                List.of(),
                List.of(),
                new VoprfP384.Evaluation(List.of(), batch.proof())),
        Reason.INVALID_INPUT);
  }

  @Test
  @DisplayName("scalars of 47 or 49 bytes, or not below the order, are a DESERIALIZE_ERROR")
  void badScalars_areDeserializeErrors() {
    byte[] good = batch.skSm();
    assertReason(
        () -> VoprfP384.deserializeScalar(Arrays.copyOf(good, 47)), Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.deserializeScalar(Arrays.copyOf(good, 49)), Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.deserializeScalar(BigIntegers.asUnsignedByteArray(48, P384.ORDER)),
        Reason.DESERIALIZE_ERROR);
    assertReason(() -> VoprfP384.fromSecretKey(Arrays.copyOf(good, 47)), Reason.DESERIALIZE_ERROR);
    assertReason(() -> VoprfP384.fromSecretKey(new byte[48]), Reason.DESERIALIZE_ERROR);
    assertReason(
        () -> VoprfP384.blind(batch.inputs().get(0), Arrays.copyOf(batch.blinds().get(0), 47)),
        Reason.DESERIALIZE_ERROR);
    assertReason(
        () ->
            VoprfP384.blindEvaluate(
                VoprfP384.fromSecretKey(good), batch.blindedElements(), new byte[49]),
        Reason.DESERIALIZE_ERROR);
  }

  @Test
  @DisplayName(
      "a zero blind or zero proof randomness is INVALID_INPUT; the top scalar n - 1 is accepted")
  void zeroRandomness_isInvalidInput() throws Exception {
    assertReason(() -> VoprfP384.blind(batch.inputs().get(0), new byte[48]), Reason.INVALID_INPUT);
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(batch.skSm());
    assertReason(
        () -> VoprfP384.blindEvaluate(key, batch.blindedElements(), new byte[48]),
        Reason.INVALID_INPUT);
    assertThat(
            VoprfP384.deserializeScalar(P384.serializeScalar(P384.ORDER.subtract(BigInteger.ONE))))
        .isEqualTo(P384.ORDER.subtract(BigInteger.ONE));
  }

  @Test
  @DisplayName("serializeScalar refuses negative values and values not below the order")
  void serializeScalar_checksRange() {
    assertThatThrownBy(() -> VoprfP384.serializeScalar(BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoprfP384.serializeScalar(P384.ORDER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(VoprfP384.serializeScalar(BigInteger.ZERO)).hasSize(48).containsOnly(0);
  }

  @Test
  @DisplayName(
      "inputs of 2^16 bytes or more are INVALID_INPUT: their length does not fit I2OSP(len, 2)")
  void overlongInput_isInvalidInput() throws Exception {
    byte[] input = new byte[0x10000];
    BigInteger skS = VoprfP384.deserializeScalar(batch.skSm());
    assertReason(() -> VoprfP384.blind(input, new SecureRandom()), Reason.INVALID_INPUT);
    assertReason(() -> VoprfP384.evaluate(skS, input), Reason.INVALID_INPUT);
    assertThat(VoprfP384.evaluate(skS, new byte[0xFFFF])).hasSize(VoprfP384.OUTPUT_LENGTH);
  }

  @Test
  @DisplayName(
      "deriveKeyPair wants a 32-byte seed; evaluate and KeyPair want a secret key in [1, order)")
  void keyArguments_areChecked() {
    assertThatThrownBy(() -> VoprfP384.deriveKeyPair(new byte[31], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoprfP384.deriveKeyPair(new byte[32], new byte[0x10000]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoprfP384.evaluate(BigInteger.ZERO, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoprfP384.evaluate(P384.ORDER, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VoprfP384.KeyPair(BigInteger.ZERO, batch.pkSm()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a KeyPair whose public key belongs to another secret is refused")
  void mismatchedKeyPair_isRefused() {
    BigInteger otherSecret = VoprfP384.generateKeyPair(new SecureRandom()).secretKey();
    assertThatThrownBy(() -> new VoprfP384.KeyPair(otherSecret, batch.pkSm()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(otherSecret.toString(16))
        .hasMessageNotContaining(otherSecret.toString());
  }

  @Test
  @DisplayName("exception messages and toString never show secret scalars")
  void secrets_neverAppearInText() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(batch.skSm());
    VoprfP384.Blinded b = blinded.get(0);
    String skHex = hex(batch.skSm());
    String blindHex = HexFormat.of().formatHex(batch.blinds().get(0));
    assertThat(key.toString())
        .doesNotContain(skHex)
        .doesNotContain(key.secretKey().toString())
        .contains("redacted");
    assertThat(b.toString())
        .doesNotContain(blindHex)
        .doesNotContain(b.blind().toString())
        .contains("redacted");
    VoprfException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VoprfException.class,
            () ->
                finalizeWith(
                    batch.pkSm(), batch.evaluationElements(), flipBit(batch.proof(), 700)));
    assertThat(e.getMessage())
        .doesNotContain(blindHex)
        .doesNotContain(skHex)
        .startsWith("INVALID_PROOF");
  }
}
