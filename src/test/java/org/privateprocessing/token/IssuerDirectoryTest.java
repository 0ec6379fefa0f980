package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.token.Rfc9577VectorTest.catchReason;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IssuerDirectoryTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "encode then parse gives the same directory; keys keep their order and optional not-before")
  void roundTrip_preservesEverything() throws Exception {
    IssuerDirectory dir =
        new IssuerDirectory(
            "https://issuer.example/token-request",
            List.of(
                new IssuerDirectory.TokenKey(2, new byte[] {1, 2, 3, 4}, 1686913811L),
                new IssuerDirectory.TokenKey(1, new byte[] {5}, null)));
    byte[] json = dir.encode();
    assertThat(IssuerDirectory.parse(json)).isEqualTo(dir);
    JsonNode tree = new ObjectMapper().readTree(json);
    assertThat(tree.get("issuer-request-uri").asText())
        .isEqualTo("https://issuer.example/token-request");
    assertThat(tree.get("token-keys").get(0).get("token-type").asInt()).isEqualTo(2);
    // RFC 9578 section 4: base64url including padding.
    assertThat(tree.get("token-keys").get(0).get("token-key").asText()).isEqualTo("AQIDBA==");
    assertThat(tree.get("token-keys").get(0).get("not-before").asLong()).isEqualTo(1686913811L);
    assertThat(tree.get("token-keys").get(1).has("not-before")).isFalse();
    assertThat(dir.keysOfType(2)).hasSize(1);
    assertThat(dir.tokenKeys().get(0).isUsableAt(1686913810L)).isFalse();
    assertThat(dir.tokenKeys().get(0).isUsableAt(1686913811L)).isTrue();
  }

  @Test
  @DisplayName(
      "a directory from another writer parses: unpadded keys, unknown members, unknown token types")
  void parse_acceptsForeignDirectory() throws Exception {
    IssuerDirectory dir =
        IssuerDirectory.parse(
            utf8(
                """
        {"issuer-request-uri": "/request", "extra": {"a": 1},
         "token-keys": [{"token-type": 2, "token-key": "AQIDBA", "x": true}, {"token-type": 3, "token-key": "AA=="}]}
        """));
    assertThat(dir.issuerRequestUri()).isEqualTo("/request");
    assertThat(dir.tokenKeys()).hasSize(2);
    assertThat(dir.tokenKeys().get(0).tokenKey()).isEqualTo(new byte[] {1, 2, 3, 4});
    assertThat(dir.tokenKeys().get(0).notBefore()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"issuer-request-uri\": \"/r\"}",
        "{\"issuer-request-uri\": 5, \"token-keys\": []}",
        "{\"issuer-request-uri\": \"\", \"token-keys\": []}",
        "{\"issuer-request-uri\": \"a b\", \"token-keys\": []}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": {}}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [1]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-key\": \"AA\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": \"2\", \"token-key\": \"AA\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 70000, \"token-key\": \"AA\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2.5, \"token-key\": \"AA\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2, \"token-key\": \"A+/=\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2, \"token-key\": \"\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2, \"token-key\": \"AA\", \"not-before\": -1}]}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": [{\"token-type\": 2, \"token-key\": \"AA\", \"not-before\": \"1\"}]}",
        "{\"issuer-request-uri\": \"/r\", \"issuer-request-uri\": \"/s\", \"token-keys\": []}",
        "{\"issuer-request-uri\": \"/r\", \"token-keys\": []} {}"
      })
  @DisplayName("bad JSON, missing or mistyped members, bad base64url and duplicates are MALFORMED")
  void parse_rejectsBadDirectories(String json) {
    assertThat(catchReason(() -> IssuerDirectory.parse(utf8(json))))
        .isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("the media type and well-known path are the RFC 9578 ones")
  void constants_matchRfc() {
    assertThat(IssuerDirectory.MEDIA_TYPE).isEqualTo("application/private-token-issuer-directory");
    assertThat(MediaTypes.TOKEN_REQUEST).isEqualTo("application/private-token-request");
    assertThat(MediaTypes.TOKEN_RESPONSE).isEqualTo("application/private-token-response");
    assertThat(MediaTypes.ISSUER_DIRECTORY_PATH)
        .isEqualTo("/.well-known/private-token-issuer-directory");
  }
}
