package org.privateprocessing.token;

import java.util.List;
import java.util.Objects;

/**
 * The {@code Authorization} credentials that redeem a token, RFC 9577 section 2.2:
 *
 * <pre>
 * Authorization: PrivateToken token="abc..."
 * </pre>
 */
public final class PrivateTokenAuthorization {
  private PrivateTokenAuthorization() {}

  /** {@code PrivateToken token="<b64url>"}, padded as RFC 9577 section 2.1.2 asks of senders. */
  public static String header(Token token) {
    Objects.requireNonNull(token, "token");
    return PrivateTokenChallenge.SCHEME
        + " token=\""
        + Base64Url.encodePadded(token.encode())
        + "\"";
  }

  /**
   * Parses the credentials: exactly one {@code PrivateToken} (scheme case-insensitive) with a
   * {@code token} parameter, quoted or not, base64url with or without padding; other parameters are
   * ignored.
   *
   * @throws TokenException MALFORMED for another scheme, a missing token parameter, bad base64url
   *     or header syntax; otherwise the reason {@link Token#parse} gives for the decoded bytes
   */
  public static Token parse(String authorizationHeader) throws TokenException {
    Objects.requireNonNull(authorizationHeader, "authorizationHeader");
    List<AuthHeaders.Item> items = AuthHeaders.parse(authorizationHeader);
    if (items.size() != 1) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "expected exactly one set of credentials");
    }
    AuthHeaders.Item item = items.get(0);
    if (!item.scheme().equals("privatetoken")) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "credentials are not of the PrivateToken scheme");
    }
    String value = item.params().get("token");
    if (value == null) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "PrivateToken credentials lack the token parameter");
    }
    return Token.parse(Base64Url.decode(value));
  }
}
