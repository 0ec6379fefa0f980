package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.ohttp.Vectors.hex;
import static org.privateprocessing.token.Rfc9577VectorTest.catchReason;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * Every parser refuses truncated, over-long, unknown-type and badly encoded input with a named
 * reason.
 */
class WireNegativeTest {
  private static final JsonNode TYPE1 =
      Vectors.load("privacypass/rfc9578-issuance.json").get("token_type_0x0001").get(0);
  private static final JsonNode TYPE2 =
      Vectors.load("privacypass/rfc9578-issuance.json").get("token_type_0x0002").get(0);

  private static byte[] field(JsonNode v, String name) {
    return hex(v.get(name).asText());
  }

  private static byte[] withTrailingByte(byte[] b) {
    return Arrays.copyOf(b, b.length + 1);
  }

  private static byte[] withType(byte[] b, int type) {
    byte[] out = b.clone();
    out[0] = (byte) (type >>> 8);
    out[1] = (byte) type;
    return out;
  }

  @Test
  @DisplayName(
      "every proper prefix of a token challenge is TRUNCATED, and a trailing byte is MALFORMED")
  void tokenChallenge_prefixesAndTrailingBytes() {
    for (String name : List.of("token_challenge")) {
      for (JsonNode v : List.of(TYPE1, TYPE2)) {
        byte[] full = field(v, name);
        for (int len = 0; len < full.length; len++) {
          byte[] prefix = Arrays.copyOf(full, len);
          assertThat(catchReason(() -> TokenChallenge.parse(prefix)))
              .as("length %d", len)
              .isEqualTo(TokenException.Reason.TRUNCATED);
        }
        assertThat(catchReason(() -> TokenChallenge.parse(withTrailingByte(full))))
            .isEqualTo(TokenException.Reason.MALFORMED);
      }
    }
  }

  @Test
  @DisplayName(
      "a challenge with an empty issuer, a 31-byte context, an empty origin or a control character is MALFORMED")
  void tokenChallenge_badFields() {
    // type 2, issuer "" (length 0)
    assertThat(catchReason(() -> TokenChallenge.parse(hex("0002000000" + "0000"))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    // issuer "a", redemption context of 31 bytes
    assertThat(
            catchReason(
                () -> TokenChallenge.parse(hex("0002000161" + "1f" + "00".repeat(31) + "0000"))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    // origin info "a,,b"
    assertThat(
            catchReason(() -> TokenChallenge.parse(hex("0002000161" + "00" + "0004" + "612c2c62"))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    // issuer with a newline
    assertThat(catchReason(() -> TokenChallenge.parse(hex("000200010a" + "00" + "0000"))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    assertThatThrownBy(() -> new TokenChallenge(2, "issuer", new byte[31], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenChallenge(2, "issuer", new byte[0], List.of("a,b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenChallenge(0x10000, "issuer", new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "token, request and response: every prefix is TRUNCATED (or UNSUPPORTED_TYPE before a type exists), a trailing byte MALFORMED")
  void fixedLengthMessages_prefixesAndTrailingBytes() {
    for (JsonNode v : List.of(TYPE1, TYPE2)) {
      byte[] token = field(v, "token");
      byte[] request = field(v, "token_request");
      byte[] response = field(v, "token_response");
      int type = ((token[0] & 0xFF) << 8) | (token[1] & 0xFF);
      for (int len = 0; len < token.length; len++) {
        byte[] p = Arrays.copyOf(token, len);
        assertThat(catchReason(() -> Token.parse(p)))
            .as("token length %d", len)
            .isEqualTo(TokenException.Reason.TRUNCATED);
      }
      for (int len = 0; len < request.length; len++) {
        byte[] p = Arrays.copyOf(request, len);
        assertThat(catchReason(() -> TokenRequest.parse(p)))
            .as("request length %d", len)
            .isEqualTo(TokenException.Reason.TRUNCATED);
      }
      for (int len = 0; len < response.length; len++) {
        byte[] p = Arrays.copyOf(response, len);
        assertThat(catchReason(() -> TokenResponse.parse(type, p)))
            .as("response length %d", len)
            .isEqualTo(TokenException.Reason.TRUNCATED);
      }
      assertThat(catchReason(() -> Token.parse(withTrailingByte(token))))
          .isEqualTo(TokenException.Reason.MALFORMED);
      assertThat(catchReason(() -> TokenRequest.parse(withTrailingByte(request))))
          .isEqualTo(TokenException.Reason.MALFORMED);
      assertThat(catchReason(() -> TokenResponse.parse(type, withTrailingByte(response))))
          .isEqualTo(TokenException.Reason.MALFORMED);
    }
  }

  @ParameterizedTest(name = "type 0x{0}")
  @ValueSource(ints = {0x0000, 0x0003, 0x0004, 0x5a5a, 0xffff})
  @DisplayName("unknown token types are UNSUPPORTED_TYPE for tokens, requests and responses")
  void unknownTypes_areUnsupported(int type) {
    assertThat(catchReason(() -> Token.parse(withType(field(TYPE2, "token"), type))))
        .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
    assertThat(catchReason(() -> TokenRequest.parse(withType(field(TYPE2, "token_request"), type))))
        .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
    assertThat(catchReason(() -> TokenResponse.parse(type, field(TYPE2, "token_response"))))
        .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
    assertThat(TokenTypes.isSupported(type)).isFalse();
    assertThatThrownBy(() -> TokenTypes.authenticatorLength(type))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a type-2 token relabelled as type 1 has the wrong length for type 1 and is refused")
  void crossTypeLengths_areRefused() {
    assertThat(catchReason(() -> Token.parse(withType(field(TYPE2, "token"), 1))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    assertThat(catchReason(() -> Token.parse(withType(field(TYPE1, "token"), 2))))
        .isEqualTo(TokenException.Reason.TRUNCATED);
    assertThat(catchReason(() -> TokenResponse.parse(1, field(TYPE2, "token_response"))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    assertThat(catchReason(() -> TokenResponse.parse(2, field(TYPE1, "token_response"))))
        .isEqualTo(TokenException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName("record constructors refuse wrong field lengths")
  void constructors_checkLengths() {
    byte[] b32 = new byte[32];
    assertThatThrownBy(() -> new Token(2, new byte[31], b32, b32, new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Token(2, b32, b32, b32, new byte[48]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Token(0, b32, b32, b32, new byte[48]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenRequest(1, 0, new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenRequest(2, 256, new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenResponse(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("records copy their arrays in and out")
  void records_areImmutable() throws Exception {
    byte[] bytes = field(TYPE2, "token");
    Token token = Token.parse(bytes);
    token.nonce()[0] ^= 1;
    token.authenticator()[0] ^= 1;
    assertThat(token.encode()).isEqualTo(bytes);
    byte[] context = new byte[32];
    TokenChallenge c = new TokenChallenge(2, "issuer.example", context, List.of());
    context[0] = 1;
    assertThat(c.redemptionContext()).isEqualTo(new byte[32]);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a", "ab+c", "ab/c", "ab c", "abcd=", "ab=c", "abc==", "a===", "ab\n", "ab==="})
  @DisplayName("bad base64url is MALFORMED")
  void base64Url_rejectsBadInput(String value) {
    assertThat(catchReason(() -> Base64Url.decode(value)))
        .isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("base64url decodes with or without padding and encodes both ways")
  void base64Url_paddingOptional() throws Exception {
    assertThat(Base64Url.decode("_-8")).isEqualTo(new byte[] {(byte) 0xff, (byte) 0xef});
    assertThat(Base64Url.decode("_-8=")).isEqualTo(new byte[] {(byte) 0xff, (byte) 0xef});
    assertThat(Base64Url.decode("AA")).isEqualTo(new byte[1]);
    assertThat(Base64Url.decode("AA==")).isEqualTo(new byte[1]);
    assertThat(Base64Url.decode("")).isEmpty();
    assertThat(Base64Url.encode(new byte[1])).isEqualTo("AA");
    assertThat(Base64Url.encodePadded(new byte[1])).isEqualTo("AA==");
  }

  // --- HTTP authentication headers ---------------------------------------------------------

  private static final String TYPE2_CHALLENGE =
      new PrivateTokenChallenge(TokenChallenge.of(2, "issuer.example"), new byte[] {1, 2, 3}, 10L)
          .toHeaderValue();

  @Test
  @DisplayName(
      "challenges are found with any scheme case, unquoted values, extra spaces and unpadded base64url")
  void wwwAuthenticate_isLenientWhereTheGrammarAllows() throws Exception {
    String challenge = Base64Url.encode(TokenChallenge.of(2, "issuer.example").encode());
    String header =
        "Bearer realm=\"x\", privatetoken   challenge="
            + challenge
            + " ,token-key = AQID ,MAX-AGE=\"7\"";
    List<PrivateTokenChallenge> parsed = PrivateTokenChallenge.parseWwwAuthenticate(header);
    assertThat(parsed)
        .containsExactly(
            new PrivateTokenChallenge(
                TokenChallenge.of(2, "issuer.example"), new byte[] {1, 2, 3}, 7L));
    assertThat(PrivateTokenChallenge.parseWwwAuthenticate("Basic abc==, " + TYPE2_CHALLENGE))
        .hasSize(1);
    assertThat(PrivateTokenChallenge.parseWwwAuthenticate("Negotiate, " + TYPE2_CHALLENGE))
        .hasSize(1);
    assertThat(PrivateTokenChallenge.parseWwwAuthenticate("")).isEmpty();
    assertThat(PrivateTokenChallenge.parseWwwAuthenticate("Basic realm=\"a \\\"quoted\\\" realm\""))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "unusable PrivateToken challenges are skipped: missing parameters, bad base64url, bad max-age, bad context length")
  void wwwAuthenticate_skipsUnusableChallenges() throws Exception {
    String good = Base64Url.encode(TokenChallenge.of(2, "issuer.example").encode());
    // type 2, issuer "a", 31-byte redemption context: RFC 9577 section 2.1.1 says ignore it
    String badContext = Base64Url.encode(hex("0002000161" + "1f" + "00".repeat(31) + "0000"));
    for (String header :
        List.of(
            "PrivateToken challenge=\"" + good + "\"",
            "PrivateToken token-key=\"AQID\"",
            "PrivateToken challenge=\"" + good + "+\", token-key=\"AQID\"",
            "PrivateToken challenge=\"" + good + "\", token-key=\"\"",
            "PrivateToken challenge=\"" + good + "\", token-key=\"AQID\", max-age=-1",
            "PrivateToken challenge=\"" + good + "\", token-key=\"AQID\", max-age=\"ten\"",
            "PrivateToken challenge=\"" + badContext + "\", token-key=\"AQID\"",
            "PrivateToken challenge=\"AA\", token-key=\"AQID\"")) {
      assertThat(PrivateTokenChallenge.parseWwwAuthenticate(header)).as(header).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PrivateToken challenge=\"abc",
        "challenge=\"abc\"",
        "PrivateToken challenge=\"a\" token-key=\"b\"",
        "PrivateToken challenge=\"a\", challenge=\"b\"",
        "PrivateToken a=b, challenge=",
        "PrivateToken challenge=, token-key=x",
        "PrivateToken @",
        "PrivateToken a b c",
        "PrivateToken challenge=\"a\"\u0001"
      })
  @DisplayName("a WWW-Authenticate value that breaks the RFC 9110 grammar is MALFORMED")
  void wwwAuthenticate_rejectsBadSyntax(String header) {
    assertThat(catchReason(() -> PrivateTokenChallenge.parseWwwAuthenticate(header)))
        .isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("Authorization round trip, case-insensitive scheme, unquoted and unpadded values")
  void authorization_roundTrip() throws Exception {
    Token token = Token.parse(field(TYPE2, "token"));
    String header = PrivateTokenAuthorization.header(token);
    assertThat(header).startsWith("PrivateToken token=\"").endsWith("\"");
    assertThat(PrivateTokenAuthorization.parse(header)).isEqualTo(token);
    assertThat(
            PrivateTokenAuthorization.parse(
                "privatetoken token=" + Base64Url.encode(token.encode())))
        .isEqualTo(token);
    assertThat(
            PrivateTokenAuthorization.parse(
                "PRIVATETOKEN  Token=" + Base64Url.encodePadded(token.encode()) + ", x=y"))
        .isEqualTo(token);
  }

  @Test
  @DisplayName(
      "Authorization without the token parameter, with another scheme, bad base64url or two credentials is MALFORMED")
  void authorization_rejectsBadShapes() throws Exception {
    String b64 = Base64Url.encode(field(TYPE2, "token"));
    for (String header :
        List.of(
            "",
            "PrivateToken",
            "PrivateToken challenge=\"" + b64 + "\"",
            "Bearer token=\"" + b64 + "\"",
            "PrivateToken token=\"" + b64 + "+\"",
            "PrivateToken token=\"" + b64 + "\", PrivateToken token=\"" + b64 + "\"",
            "PrivateToken " + b64)) {
      assertThat(catchReason(() -> PrivateTokenAuthorization.parse(header)))
          .as(header)
          .isEqualTo(TokenException.Reason.MALFORMED);
    }
    String truncated = Base64Url.encode(Arrays.copyOf(field(TYPE2, "token"), 100));
    assertThat(
            catchReason(() -> PrivateTokenAuthorization.parse("PrivateToken token=" + truncated)))
        .isEqualTo(TokenException.Reason.TRUNCATED);
  }
}
