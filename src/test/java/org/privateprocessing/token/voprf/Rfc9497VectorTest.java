package org.privateprocessing.token.voprf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.token.voprf.VoprfVectors.hex;
import static org.privateprocessing.token.voprf.VoprfVectors.hexAll;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.token.voprf.VoprfVectors.Case;

/**
 * RFC 9497 Appendix A, P384-SHA384, checked byte for byte at every protocol step against two
 * transcriptions (the RFC text and cloudflare/circl's vector file).
 */
class Rfc9497VectorTest {

  static Stream<Case> voprfCases() {
    return VoprfVectors.both(OprfSuite.MODE_VOPRF).stream();
  }

  static Stream<Case> oprfCases() {
    return VoprfVectors.both(OprfSuite.MODE_OPRF).stream();
  }

  @Test
  @DisplayName("both transcriptions carry the three VOPRF and two OPRF vectors, one a batch of two")
  void vectorFiles_holdTheExpectedCases() {
    assertThat(VoprfVectors.rfc(OprfSuite.MODE_VOPRF)).hasSize(3);
    assertThat(VoprfVectors.circl(OprfSuite.MODE_VOPRF)).hasSize(3);
    assertThat(VoprfVectors.rfc(OprfSuite.MODE_OPRF)).hasSize(2);
    assertThat(VoprfVectors.circl(OprfSuite.MODE_OPRF)).hasSize(2);
    assertThat(VoprfVectors.both(OprfSuite.MODE_VOPRF))
        .filteredOn(c -> c.inputs().size() == 2)
        .hasSize(2);
  }

  @Test
  @DisplayName("the HashToGroup DST is the one circl records for each mode")
  void hashToGroupDst_matchesCircl() {
    // circl's groupDST is "HashToGroup-" || contextString; the context string carries the mode
    // byte.
    assertThat(hex(OprfSuite.VOPRF.contextString()))
        .isEqualTo(hex("OPRFV1-".getBytes()) + "01" + hex("-P384-SHA384".getBytes()));
    assertThat(hex(OprfSuite.OPRF.contextString()))
        .isEqualTo(hex("OPRFV1-".getBytes()) + "00" + hex("-P384-SHA384".getBytes()));
    assertThat(hex("HashToGroup-".getBytes()) + hex(OprfSuite.VOPRF.contextString()))
        .isEqualTo("48617368546f47726f75702d4f50524656312d012d503338342d534841333834");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voprfCases")
  @DisplayName("deriveKeyPair(Seed, KeyInfo) yields skSm and pkSm")
  void deriveKeyPair_yieldsVectorKeys(Case v) {
    VoprfP384.KeyPair key = VoprfP384.deriveKeyPair(v.seed(), v.keyInfo());
    assertThat(hex(VoprfP384.serializeScalar(key.secretKey()))).isEqualTo(hex(v.skSm()));
    assertThat(hex(key.publicKey())).isEqualTo(hex(v.pkSm()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voprfCases")
  @DisplayName("blind with the fixed Blind yields BlindedElement")
  void blind_withFixedBlind_yieldsBlindedElement(Case v) throws Exception {
    for (int i = 0; i < v.inputs().size(); i++) {
      VoprfP384.Blinded blinded = VoprfP384.blind(v.inputs().get(i), v.blinds().get(i));
      assertThat(hex(blinded.blindedElement())).isEqualTo(hex(v.blindedElements().get(i)));
      assertThat(blinded.blind()).isEqualTo(new BigInteger(1, v.blinds().get(i)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voprfCases")
  @DisplayName(
      "blindEvaluate with the fixed ProofRandomScalar yields EvaluationElement and the (batched) Proof")
  void blindEvaluate_withFixedProofScalar_yieldsEvaluationAndProof(Case v) throws Exception {
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(v.skSm());
    VoprfP384.Evaluation evaluation =
        VoprfP384.blindEvaluate(key, v.blindedElements(), v.proofRandomScalar());
    assertThat(hexAll(evaluation.evaluatedElements()))
        .containsExactlyElementsOf(hexAll(v.evaluationElements()));
    assertThat(hex(evaluation.proof())).isEqualTo(hex(v.proof()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voprfCases")
  @DisplayName("finalize verifies the vector's proof and yields Output")
  void finalize_verifiesProofAndYieldsOutput(Case v) throws Exception {
    List<VoprfP384.Blinded> blinded = new ArrayList<>();
    for (int i = 0; i < v.inputs().size(); i++) {
      blinded.add(
          new VoprfP384.Blinded(new BigInteger(1, v.blinds().get(i)), v.blindedElements().get(i)));
    }
    List<byte[]> outputs =
        VoprfP384.finalize(
            v.pkSm(),
            v.inputs(),
            blinded,
            new VoprfP384.Evaluation(v.evaluationElements(), v.proof()));
    assertThat(hexAll(outputs)).containsExactlyElementsOf(hexAll(v.outputs()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("voprfCases")
  @DisplayName("evaluate(skSm, Input) equals Output without any blinding")
  void evaluate_equalsOutput(Case v) throws Exception {
    BigInteger skS = VoprfP384.deserializeScalar(v.skSm());
    for (int i = 0; i < v.inputs().size(); i++) {
      assertThat(hex(VoprfP384.evaluate(skS, v.inputs().get(i))))
          .isEqualTo(hex(v.outputs().get(i)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oprfCases")
  @DisplayName(
      "OPRF mode (0x00): DeriveKeyPair, Blind, BlindEvaluate and Finalize match the vector")
  void oprfMode_matchesVectorAtEveryStep(Case v) throws Exception {
    OprfSuite suite = OprfSuite.OPRF;
    BigInteger skS = suite.deriveSecretKey(v.seed(), v.keyInfo());
    assertThat(hex(P384.serializeScalar(skS))).isEqualTo(hex(v.skSm()));
    assertThat(v.proof()).isNull();
    for (int i = 0; i < v.inputs().size(); i++) {
      byte[] input = v.inputs().get(i);
      BigInteger blind = P384.deserializeScalar(v.blinds().get(i));
      ECPoint blinded = P384.multiply(suite.inputElement(input), blind);
      assertThat(hex(P384.serializeElement(blinded))).isEqualTo(hex(v.blindedElements().get(i)));
      ECPoint evaluated = P384.multiply(P384.deserializeElement(v.blindedElements().get(i)), skS);
      assertThat(hex(P384.serializeElement(evaluated)))
          .isEqualTo(hex(v.evaluationElements().get(i)));
      ECPoint unblinded = P384.multiply(evaluated, blind.modInverse(P384.ORDER));
      assertThat(hex(OprfSuite.finalizeHash(input, unblinded))).isEqualTo(hex(v.outputs().get(i)));
    }
  }

  @Test
  @DisplayName(
      "the OPRF-mode and VOPRF-mode keys from the same seed differ, because the mode is in the DST")
  void modes_areDomainSeparated() throws Exception {
    Case oprf = VoprfVectors.rfc(OprfSuite.MODE_OPRF).get(0);
    Case voprf = VoprfVectors.rfc(OprfSuite.MODE_VOPRF).get(0);
    assertThat(hex(oprf.seed())).isEqualTo(hex(voprf.seed()));
    assertThat(hex(oprf.skSm())).isNotEqualTo(hex(voprf.skSm()));
    assertThat(
            hex(P384.serializeScalar(OprfSuite.VOPRF.deriveSecretKey(oprf.seed(), oprf.keyInfo()))))
        .isEqualTo(hex(voprf.skSm()));
  }
}
