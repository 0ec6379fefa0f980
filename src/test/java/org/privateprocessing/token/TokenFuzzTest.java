package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for Privacy Pass (RFC 9577, RFC 9578) messages: token requests (the issuer reads
 * them from any account), tokens and the {@code Authorization} header that carries them (the
 * gateway reads them from anyone), and what clients read from the issuer and the origin (token
 * responses, challenges, {@code WWW-Authenticate}, the issuer directory). Each parser either
 * returns or throws {@link TokenException}; what parses re-encodes to the same value. Header values
 * arrive as ISO-8859-1 text, so every input byte is one character.
 */
class TokenFuzzTest {
  @FuzzTest
  void tokenRequest(byte[] input) {
    TokenRequest parsed;
    try {
      parsed = TokenRequest.parse(input);
    } catch (TokenException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  /** The first two bytes are the type of the request the response answers. */
  @FuzzTest
  void tokenResponse(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int type = Bytes.u16(input, 0);
    byte[] body = Arrays.copyOfRange(input, 2, input.length);
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(type, body);
    } catch (TokenException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(body);
  }

  @FuzzTest
  void token(byte[] input) {
    Token parsed;
    try {
      parsed = Token.parse(input);
    } catch (TokenException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  @FuzzTest
  void tokenChallenge(byte[] input) {
    TokenChallenge parsed;
    try {
      parsed = TokenChallenge.parse(input);
    } catch (TokenException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(input);
  }

  @FuzzTest
  void authorization(byte[] input) throws TokenException {
    Token parsed;
    try {
      parsed = PrivateTokenAuthorization.parse(new String(input, StandardCharsets.ISO_8859_1));
    } catch (TokenException refused) {
      return;
    }
    assertThat(PrivateTokenAuthorization.parse(PrivateTokenAuthorization.header(parsed)))
        .isEqualTo(parsed);
  }

  @FuzzTest
  void authHeaders(byte[] input) {
    List<AuthHeaders.Item> items;
    try {
      items = AuthHeaders.parse(new String(input, StandardCharsets.ISO_8859_1));
    } catch (TokenException refused) {
      return;
    }
    for (AuthHeaders.Item item : items) {
      assertThat(item.scheme()).isNotEmpty().isLowerCase();
      assertThat(item.token68() == null || item.params().isEmpty()).isTrue();
    }
  }

  @FuzzTest
  void wwwAuthenticate(byte[] input) throws TokenException {
    List<PrivateTokenChallenge> parsed;
    try {
      parsed =
          PrivateTokenChallenge.parseWwwAuthenticate(
              new String(input, StandardCharsets.ISO_8859_1));
    } catch (TokenException refused) {
      return;
    }
    for (PrivateTokenChallenge c : parsed) {
      assertThat(PrivateTokenChallenge.parseWwwAuthenticate(c.toHeaderValue())).containsExactly(c);
    }
  }

  @FuzzTest
  void issuerDirectory(byte[] input) throws TokenException {
    IssuerDirectory parsed;
    try {
      parsed = IssuerDirectory.parse(input);
    } catch (TokenException refused) {
      return;
    }
    assertThat(IssuerDirectory.parse(parsed.encode())).isEqualTo(parsed);
  }
}
