package org.privateprocessing.token.voprf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.token.voprf.VoprfVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * Privacy Pass token type 0x0001 (RFC 9578 section 5, Appendix A.1, plus five vectors from
 * privacypass-ts's Rust generator): the VOPRF layer of issuance and redemption, byte for byte. The
 * token structures are sliced by hand here; their codecs belong to the token package.
 */
class Rfc9578TokenType1Test {
  private static final int TOKEN_TYPE_LENGTH = 2;
  private static final int TOKEN_INPUT_LENGTH = 2 + 32 + 32 + 32;

  static Stream<Arguments> vectors() {
    List<Arguments> all = new ArrayList<>();
    JsonNode rfc = Vectors.load("privacypass/rfc9578-issuance.json").get("token_type_0x0001");
    for (int i = 0; i < rfc.size(); i++) {
      all.add(Arguments.of("RFC 9578 A.1 #" + (i + 1), rfc.get(i)));
    }
    JsonNode rust = Vectors.load("privacypass/privacypass-ts-priv_verif_rfc9578.rust.json");
    for (int i = 0; i < rust.size(); i++) {
      all.add(Arguments.of("privacypass-ts rust #" + (i + 1), rust.get(i)));
    }
    return all.stream();
  }

  /**
   * token_input = token_type || nonce || SHA-256(token_challenge) || SHA-256(pkS) (RFC 9578 section
   * 5.1).
   */
  private static byte[] tokenInput(JsonNode v) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] challengeDigest = sha256.digest(hex(v.get("token_challenge")));
    byte[] tokenKeyId = sha256.digest(hex(v.get("pkS")));
    byte[] nonce = hex(v.get("nonce"));
    byte[] input = new byte[TOKEN_INPUT_LENGTH];
    input[0] = 0x00;
    input[1] = 0x01;
    System.arraycopy(nonce, 0, input, 2, 32);
    System.arraycopy(challengeDigest, 0, input, 34, 32);
    System.arraycopy(tokenKeyId, 0, input, 66, 32);
    return input;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("skS deserialises to a key pair whose public key is pkS")
  void secretKey_yieldsPublicKey(String name, JsonNode v) throws Exception {
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(hex(v.get("skS")));
    assertThat(hex(key.publicKey())).isEqualTo(v.get("pkS").asText());
    assertThat(hex(key.serializedSecretKey())).isEqualTo(v.get("skS").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName(
      "Blind(token_input, blind) is the blinded element in token_request, and token_input opens the token")
  void blind_yieldsTokenRequestElement(String name, JsonNode v) throws Exception {
    byte[] tokenRequest = hex(v.get("token_request"));
    byte[] token = hex(v.get("token"));
    byte[] tokenInput = tokenInput(v);
    assertThat(tokenRequest).hasSize(TOKEN_TYPE_LENGTH + 1 + VoprfP384.ELEMENT_LENGTH);
    assertThat(hex(Arrays.copyOfRange(token, 0, TOKEN_INPUT_LENGTH))).isEqualTo(hex(tokenInput));

    VoprfP384.Blinded blinded = VoprfP384.blind(tokenInput, hex(v.get("blind")));
    assertThat(hex(blinded.blindedElement()))
        .isEqualTo(hex(Arrays.copyOfRange(tokenRequest, 3, 52)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("the issuer's token_response verifies and finalizes to the token's authenticator")
  void finalize_yieldsTokenAuthenticator(String name, JsonNode v) throws Exception {
    byte[] response = hex(v.get("token_response"));
    byte[] token = hex(v.get("token"));
    assertThat(response).hasSize(VoprfP384.ELEMENT_LENGTH + VoprfP384.PROOF_LENGTH);
    byte[] evaluated = Arrays.copyOfRange(response, 0, VoprfP384.ELEMENT_LENGTH);
    byte[] proof = Arrays.copyOfRange(response, VoprfP384.ELEMENT_LENGTH, response.length);
    byte[] tokenInput = tokenInput(v);
    VoprfP384.Blinded blinded = VoprfP384.blind(tokenInput, hex(v.get("blind")));

    List<byte[]> outputs =
        VoprfP384.finalize(
            hex(v.get("pkS")),
            List.of(tokenInput),
            List.of(blinded),
            new VoprfP384.Evaluation(List.of(evaluated), proof));

    assertThat(outputs).hasSize(1);
    assertThat(hex(outputs.get(0)))
        .isEqualTo(hex(Arrays.copyOfRange(token, token.length - 48, token.length)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("the issuer's BlindEvaluate reproduces the evaluated element of token_response")
  void blindEvaluate_yieldsTokenResponseElement(String name, JsonNode v) throws Exception {
    // The vectors do not publish the issuer's proof randomness, so only the element is compared;
    // the fresh proof must still verify.
    VoprfP384.KeyPair key = VoprfP384.fromSecretKey(hex(v.get("skS")));
    byte[] blindedElement = Arrays.copyOfRange(hex(v.get("token_request")), 3, 52);
    VoprfP384.Evaluation evaluation =
        VoprfP384.blindEvaluate(key, List.of(blindedElement), new java.security.SecureRandom());
    byte[] response = hex(v.get("token_response"));
    assertThat(hex(evaluation.evaluatedElements().get(0)))
        .isEqualTo(hex(Arrays.copyOfRange(response, 0, VoprfP384.ELEMENT_LENGTH)));
    byte[] tokenInput = tokenInput(v);
    List<byte[]> outputs =
        VoprfP384.finalize(
            key.publicKey(),
            List.of(tokenInput),
            List.of(VoprfP384.blind(tokenInput, hex(v.get("blind")))),
            evaluation);
    byte[] token = hex(v.get("token"));
    assertThat(hex(outputs.get(0)))
        .isEqualTo(hex(Arrays.copyOfRange(token, token.length - 48, token.length)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("evaluate(skS, token_input) recomputes the authenticator (redemption check)")
  void evaluate_recomputesAuthenticator(String name, JsonNode v) throws Exception {
    BigInteger skS = VoprfP384.deserializeScalar(hex(v.get("skS")));
    byte[] token = hex(v.get("token"));
    byte[] tokenInput = Arrays.copyOfRange(token, 0, TOKEN_INPUT_LENGTH);
    assertThat(hex(VoprfP384.evaluate(skS, tokenInput)))
        .isEqualTo(hex(Arrays.copyOfRange(token, TOKEN_INPUT_LENGTH, token.length)));
  }
}
