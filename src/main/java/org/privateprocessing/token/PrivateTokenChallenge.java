package org.privateprocessing.token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code PrivateToken} challenge of a {@code WWW-Authenticate} header, RFC 9577 section 2.1:
 * the TokenChallenge, the issuer's token key, and an optional {@code max-age} in seconds.
 *
 * <pre>
 * WWW-Authenticate: PrivateToken challenge="abc...", token-key="123...", max-age=10
 * </pre>
 *
 * Immutable: the key is copied in and out.
 */
public record PrivateTokenChallenge(TokenChallenge challenge, byte[] tokenKey, Long maxAgeSeconds) {
  /** The HTTP authentication scheme, RFC 9577 section 2.1.1. */
  public static final String SCHEME = "PrivateToken";

  public PrivateTokenChallenge {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(tokenKey, "tokenKey");
    if (tokenKey.length == 0) {
      throw new IllegalArgumentException("token key must not be empty");
    }
    if (maxAgeSeconds != null && maxAgeSeconds < 0) {
      throw new IllegalArgumentException("max-age must not be negative");
    }
    tokenKey = tokenKey.clone();
  }

  @Override
  public byte[] tokenKey() {
    return tokenKey.clone();
  }

  /**
   * {@code PrivateToken challenge="<b64url>", token-key="<b64url>"[, max-age=N]}. Values are padded
   * base64url, as RFC 9577 section 2.1.2 asks of senders.
   */
  public String toHeaderValue() {
    StringBuilder b =
        new StringBuilder(SCHEME)
            .append(" challenge=\"")
            .append(Base64Url.encodePadded(challenge.encode()))
            .append("\", token-key=\"")
            .append(Base64Url.encodePadded(tokenKey))
            .append('"');
    if (maxAgeSeconds != null) {
      b.append(", max-age=").append(maxAgeSeconds.longValue());
    }
    return b.toString();
  }

  /**
   * Every usable {@code PrivateToken} challenge of a {@code WWW-Authenticate} value, in order.
   *
   * <p>Other schemes (Basic ...) and unknown parameters are ignored. A PrivateToken challenge is
   * skipped, not fatal, when a client must not act on it (RFC 9577 sections 2.1.1 and 2.1.3): a
   * token type this package does not support (including grease types such as 0x0000), a challenge
   * or token-key that is missing, not base64url or not a valid TokenChallenge (e.g. a redemption
   * context of the wrong length), or a max-age that is not a non-negative integer.
   *
   * @throws TokenException MALFORMED when the header itself breaks the RFC 9110 section 11 grammar
   */
  public static List<PrivateTokenChallenge> parseWwwAuthenticate(String headerValue)
      throws TokenException {
    Objects.requireNonNull(headerValue, "headerValue");
    List<PrivateTokenChallenge> out = new ArrayList<>();
    for (AuthHeaders.Item item : AuthHeaders.parse(headerValue)) {
      if (item.scheme().equals("privatetoken")) {
        PrivateTokenChallenge c = usable(item.params());
        if (c != null) {
          out.add(c);
        }
      }
    }
    return out;
  }

  private static PrivateTokenChallenge usable(Map<String, String> params) {
    String challenge = params.get("challenge");
    String key = params.get("token-key");
    if (challenge == null || key == null) {
      return null;
    }
    try {
      byte[] challengeBytes = Base64Url.decode(challenge);
      if (challengeBytes.length < 2 || !TokenTypes.isSupported(Bytes.u16(challengeBytes, 0))) {
        return null;
      }
      byte[] tokenKey = Base64Url.decode(key);
      if (tokenKey.length == 0) {
        return null;
      }
      Long maxAge = null;
      String maxAgeValue = params.get("max-age");
      if (maxAgeValue != null) {
        if (maxAgeValue.isEmpty()
            || maxAgeValue.length() > 18
            || !maxAgeValue.chars().allMatch(Character::isDigit)) {
          return null;
        }
        maxAge = Long.parseLong(maxAgeValue);
      }
      return new PrivateTokenChallenge(TokenChallenge.parse(challengeBytes), tokenKey, maxAge);
    } catch (TokenException e) {
      return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivateTokenChallenge c
        && challenge.equals(c.challenge)
        && Arrays.equals(tokenKey, c.tokenKey)
        && Objects.equals(maxAgeSeconds, c.maxAgeSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(challenge, Arrays.hashCode(tokenKey), maxAgeSeconds);
  }

  @Override
  public String toString() {
    return "PrivateTokenChallenge["
        + challenge
        + ", tokenKey="
        + tokenKey.length
        + " bytes, maxAge="
        + maxAgeSeconds
        + "]";
  }
}
