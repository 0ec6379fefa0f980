package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * Type 0x0001 messages (RFC 9578 Appendix A.1 and privacypass-ts) frame correctly; no VOPRF math
 * here.
 */
class Type1WireShapesTest {
  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    int i = 1;
    for (JsonNode v : Vectors.load("privacypass/rfc9578-issuance.json").get("token_type_0x0001")) {
      out.add(Arguments.of("rfc9578 #" + i++, v));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-priv_verif_rfc9578.go.json")) {
      out.add(Arguments.of("privacypass-ts go #" + i++, v));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-priv_verif_rfc9578.rust.json")) {
      out.add(Arguments.of("privacypass-ts rust #" + i++, v));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName(
      "request (49), response (49 + 96) and token (48) parse with type-1 lengths and re-encode identically")
  void type1Messages_roundTrip(String name, JsonNode v) throws Exception {
    byte[] pkS = hex(v.get("pkS").asText());
    byte[] tokenKeyId = TokenKeyIds.tokenKeyId(pkS);
    TokenChallenge challenge = TokenChallenge.parse(hex(v.get("token_challenge").asText()));
    assertThat(challenge.tokenType()).isEqualTo(TokenTypes.VOPRF_P384);
    assertThat(hex(challenge.encode())).isEqualTo(v.get("token_challenge").asText());

    byte[] requestBytes = hex(v.get("token_request").asText());
    TokenRequest request = TokenRequest.parse(requestBytes);
    assertThat(request.tokenType()).isEqualTo(TokenTypes.VOPRF_P384);
    assertThat(request.blindedMsg()).hasSize(49);
    assertThat(request.truncatedTokenKeyId()).isEqualTo(TokenKeyIds.truncated(tokenKeyId));
    assertThat(request.encode()).isEqualTo(requestBytes);

    byte[] responseBytes = hex(v.get("token_response").asText());
    assertThat(responseBytes).hasSize(49 + 96);
    assertThat(TokenResponse.parse(TokenTypes.VOPRF_P384, responseBytes).encode())
        .isEqualTo(responseBytes);

    byte[] tokenBytes = hex(v.get("token").asText());
    Token token = Token.parse(tokenBytes);
    assertThat(token.authenticator()).hasSize(48);
    assertThat(token.tokenKeyId()).isEqualTo(tokenKeyId);
    assertThat(token.nonce()).isEqualTo(hex(v.get("nonce").asText()));
    assertThat(token.isFor(challenge)).isTrue();
    assertThat(token.encode()).isEqualTo(tokenBytes);
  }
}
