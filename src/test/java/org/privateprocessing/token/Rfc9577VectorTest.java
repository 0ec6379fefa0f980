package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/** RFC 9577 Appendix A.1 / A.2 and the privacypass-ts (draft -14) auth scheme vectors. */
class Rfc9577VectorTest {
  static Stream<Arguments> structures() {
    List<Arguments> out = new ArrayList<>();
    int i = 1;
    for (JsonNode v :
        Vectors.load("privacypass/rfc9577-auth-scheme.json").get("challenge_redemption")) {
      out.add(Arguments.of("rfc9577 #" + i++, v));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-auth_scheme_token_v14.json")) {
      out.add(Arguments.of("privacypass-ts #" + i++, v));
    }
    return out.stream();
  }

  private static String ascii(JsonNode v, String field) {
    return new String(hex(v.get(field).asText()), StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structures")
  @DisplayName("the challenge built from the fields gives the vector's token_authenticator_input")
  void challengeAndAuthenticatorInput_matchVector(String name, JsonNode v) throws Exception {
    int type = Integer.parseInt(v.get("token_type").asText(), 16);
    byte[] expectedInput = hex(v.get("token_authenticator_input").asText());
    if (!v.has("issuer_name")) {
      // The grease vector (type 0x0000) carries random bytes only: nothing here may accept it as a
      // token.
      assertThat(type).isZero();
      assertThat(TokenTypes.isSupported(type)).isFalse();
      assertThat(catchReason(() -> Token.parse(expectedInput)))
          .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
      return;
    }
    String origins = ascii(v, "origin_info");
    TokenChallenge challenge =
        new TokenChallenge(
            type,
            ascii(v, "issuer_name"),
            hex(v.get("redemption_context").asText()),
            origins.isEmpty() ? List.of() : Arrays.asList(origins.split(",")));
    byte[] encoded = challenge.encode();
    assertThat(TokenChallenge.parse(encoded)).isEqualTo(challenge);
    assertThat(challenge.digest()).isEqualTo(Bytes.sha256(encoded));

    byte[] authenticator = new byte[TokenTypes.authenticatorLength(type)];
    Token token =
        new Token(
            type,
            hex(v.get("nonce").asText()),
            challenge.digest(),
            hex(v.get("token_key_id").asText()),
            authenticator);
    assertThat(hex(token.authenticatorInput()))
        .isEqualTo(v.get("token_authenticator_input").asText());
    assertThat(token.isFor(challenge)).isTrue();
  }

  static Stream<Arguments> headers() {
    List<Arguments> out = new ArrayList<>();
    int i = 1;
    for (JsonNode v : Vectors.load("privacypass/rfc9577-auth-scheme.json").get("http_header")) {
      List<Expected> expected = new ArrayList<>();
      for (JsonNode c : v.get("challenges")) {
        expected.add(
            new Expected(
                Integer.decode(c.get("token-type").asText()),
                c.get("token-challenge").asText(),
                c.get("token-key").asText(),
                c.has("max-age") ? Long.valueOf(c.get("max-age").asText()) : null));
      }
      out.add(Arguments.of("rfc9577 #" + i++, v.get("www_authenticate").asText(), expected));
    }
    i = 1;
    for (JsonNode v : Vectors.load("privacypass/privacypass-ts-auth_scheme_header_v14.json")) {
      List<Expected> expected = new ArrayList<>();
      for (int k = 0; v.has("token-type-" + k); k++) {
        expected.add(
            new Expected(
                v.get("token-type-" + k).asInt(),
                v.get("token-challenge-" + k).asText(),
                v.get("token-key-" + k).asText(),
                v.has("max-age-" + k) ? v.get("max-age-" + k).asLong() : null));
      }
      out.add(Arguments.of("privacypass-ts #" + i++, v.get("WWW-Authenticate").asText(), expected));
    }
    return out.stream();
  }

  record Expected(int type, String challengeHex, String tokenKeyHex, Long maxAge) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  @DisplayName(
      "WWW-Authenticate yields the vector's supported challenges; Basic, unknown attributes and grease are ignored")
  void wwwAuthenticate_matchesVector(String name, String header, List<Expected> expected)
      throws Exception {
    List<Expected> supported =
        expected.stream().filter(e -> TokenTypes.isSupported(e.type())).toList();
    List<PrivateTokenChallenge> parsed = PrivateTokenChallenge.parseWwwAuthenticate(header);
    assertThat(parsed).hasSameSizeAs(supported);
    for (int i = 0; i < parsed.size(); i++) {
      PrivateTokenChallenge p = parsed.get(i);
      Expected e = supported.get(i);
      assertThat(p.challenge().tokenType()).isEqualTo(e.type());
      assertThat(hex(p.challenge().encode())).isEqualTo(e.challengeHex());
      assertThat(hex(p.tokenKey())).isEqualTo(e.tokenKeyHex());
      assertThat(p.maxAgeSeconds()).isEqualTo(e.maxAge());
      // Our own rendering parses back to the same challenge.
      assertThat(PrivateTokenChallenge.parseWwwAuthenticate(p.toHeaderValue())).containsExactly(p);
    }
  }

  @Test
  @DisplayName(
      "the RFC's type-2 token key in the header parses as a type-2 token key and re-encodes identically")
  void headerTokenKey_isCanonicalType2Key() throws Exception {
    JsonNode v = Vectors.load("privacypass/rfc9577-auth-scheme.json").get("http_header").get(0);
    PrivateTokenChallenge c =
        PrivateTokenChallenge.parseWwwAuthenticate(v.get("www_authenticate").asText()).get(0);
    assertThat(BlindRsaKeys.encodeTokenKey(BlindRsaKeys.parseTokenKey(c.tokenKey())))
        .isEqualTo(c.tokenKey());
  }

  interface Call {
    void run() throws Exception;
  }

  static TokenException.Reason catchReason(Call call) {
    try {
      call.run();
    } catch (TokenException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError("expected TokenException, got " + e, e);
    }
    throw new AssertionError("expected TokenException, nothing thrown");
  }
}
