package org.privateprocessing.token;

import java.util.Arrays;
import java.util.Objects;

/**
 * A token response body (media type {@link MediaTypes#TOKEN_RESPONSE}): for type 1 {@code
 * evaluate_msg[Ne=49] || evaluate_proof[96]} (RFC 9578 section 5.2), for type 2 {@code
 * blind_sig[Nk=256]} (section 6.2). The body carries no type, so parsing takes the type of the
 * request it answers. Immutable: the body is copied in and out.
 */
public record TokenResponse(byte[] body) {
  public TokenResponse {
    Objects.requireNonNull(body, "body");
    if (body.length == 0) {
      throw new IllegalArgumentException("token response must not be empty");
    }
    body = body.clone();
  }

  /** Parses the response to a request of {@code tokenType}; its length must be exactly right. */
  public static TokenResponse parse(int tokenType, byte[] bytes) throws TokenException {
    Objects.requireNonNull(bytes, "bytes");
    if (!TokenTypes.isSupported(tokenType)) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE,
          "token response type " + TokenTypes.hex(tokenType));
    }
    int length = TokenTypes.responseLength(tokenType);
    if (bytes.length < length) {
      throw new TokenException(
          TokenException.Reason.TRUNCATED, "token response is shorter than " + length + " bytes");
    }
    if (bytes.length > length) {
      throw new TokenException(TokenException.Reason.MALFORMED, "bytes follow the token response");
    }
    return new TokenResponse(bytes);
  }

  /** The wire encoding (the body itself). */
  public byte[] encode() {
    return body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  byte[] bodyView() {
    return body;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenResponse r && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "TokenResponse[" + body.length + " bytes]";
  }
}
