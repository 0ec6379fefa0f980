package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * RFC 9578 Appendix A.2 (token type 0x0002) and the privacypass-ts Go (same values) and Rust
 * (different keys and inputs) vectors: every message byte for byte, from the vector's randomness.
 */
class Rfc9578Type2VectorTest {
  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    int i = 1;
    for (JsonNode v : Vectors.load("privacypass/rfc9578-issuance.json").get("token_type_0x0002")) {
      out.add(Arguments.of("rfc9578 #" + i++, v));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-pub_verif_rfc9578.go.json")) {
      out.add(Arguments.of("privacypass-ts go #" + i++, v));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-pub_verif_rfc9578.rust.json")) {
      out.add(Arguments.of("privacypass-ts rust #" + i++, v));
    }
    return out.stream();
  }

  private static KeyPair key(JsonNode v) {
    // skS is the hex of a PEM text in every source (the RFC file also has it decoded as skS_pem).
    return BlindRsaKeys.fromPkcs8Pem(
        new String(hex(v.get("skS").asText()), StandardCharsets.US_ASCII));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName(
      "client request, issuer response and final token equal the vector and the token verifies")
  void issuance_reproducesVector(String name, JsonNode v) throws Exception {
    KeyPair key = key(v);
    RSAPublicKey pk = (RSAPublicKey) key.getPublic();
    byte[] pkS = hex(v.get("pkS").asText());
    assertThat(BlindRsaKeys.encodeTokenKey(pk)).isEqualTo(pkS);
    assertThat(BlindRsaKeys.parseTokenKey(pkS)).isEqualTo(pk);

    TokenChallenge challenge = TokenChallenge.parse(hex(v.get("token_challenge").asText()));
    assertThat(hex(challenge.encode())).isEqualTo(v.get("token_challenge").asText());

    BlindRsaTokenClient.Pending pending =
        BlindRsaTokenClient.begin(
            pk,
            challenge,
            hex(v.get("nonce").asText()),
            hex(v.get("salt").asText()),
            hex(v.get("blind").asText()));
    assertThat(hex(pending.request().encode())).isEqualTo(v.get("token_request").asText());

    BlindRsaIssuer issuer = new BlindRsaIssuer(key);
    assertThat(issuer.tokenKey()).isEqualTo(pkS);
    TokenResponse response = issuer.issue(TokenRequest.parse(hex(v.get("token_request").asText())));
    assertThat(hex(response.encode())).isEqualTo(v.get("token_response").asText());

    Token token =
        pending.finish(
            TokenResponse.parse(TokenTypes.BLIND_RSA_2048, hex(v.get("token_response").asText())));
    assertThat(hex(token.encode())).isEqualTo(v.get("token").asText());
    assertThat(token.isFor(challenge)).isTrue();

    byte[] tokenKeyId = TokenKeyIds.tokenKeyId(pkS);
    assertThat(tokenKeyId)
        .isEqualTo(Bytes.sha256(pkS))
        .isEqualTo(token.tokenKeyId())
        .isEqualTo(issuer.tokenKeyId());
    assertThat(TokenKeyIds.truncated(tokenKeyId))
        .isEqualTo(tokenKeyId[31] & 0xFF)
        .isEqualTo(pending.request().truncatedTokenKeyId());

    BlindRsaTokenVerifier verifier = new BlindRsaTokenVerifier(BlindRsaKeys.parseTokenKey(pkS));
    assertThat(verifier.tokenKeyId()).isEqualTo(tokenKeyId);
    assertThat(verifier.verify(Token.parse(hex(v.get("token").asText())))).isTrue();
    assertThat(verifier.verify(token, challenge)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName("the vector's token request, response and token re-encode identically")
  void messages_roundTrip(String name, JsonNode v) throws Exception {
    byte[] request = hex(v.get("token_request").asText());
    byte[] response = hex(v.get("token_response").asText());
    byte[] token = hex(v.get("token").asText());
    assertThat(TokenRequest.parse(request).encode()).isEqualTo(request);
    assertThat(TokenResponse.parse(TokenTypes.BLIND_RSA_2048, response).encode())
        .isEqualTo(response);
    assertThat(Token.parse(token).encode()).isEqualTo(token);
    assertThat(Token.parse(token).authenticatorInput())
        .hasSize(98)
        .isEqualTo(java.util.Arrays.copyOf(token, 98));
  }
}
