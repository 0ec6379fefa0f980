package org.privateprocessing.token;

import java.util.Base64;
import java.util.Objects;

/**
 * base64url (RFC 4648 section 5) as Privacy Pass uses it in HTTP headers (RFC 9577 section 2.1.2)
 * and the issuer directory (RFC 9578 section 4).
 *
 * <p>RFC 9577 makes senders include padding but requires receivers to accept values with or without
 * it, so {@link #decode} accepts both. {@link #encode} omits padding (compact, for URLs and logs of
 * key ids); {@link #encodePadded} is what the header and directory writers in this package emit.
 */
public final class Base64Url {
  private static final Base64.Encoder UNPADDED = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Encoder PADDED = Base64.getUrlEncoder();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /**
   * Decodes base64url with or without '=' padding. The standard alphabet's '+' and '/', whitespace,
   * misplaced or excess padding are rejected.
   */
  public static byte[] decode(String value) throws TokenException {
    Objects.requireNonNull(value, "value");
    // A lone trailing character carries fewer than 8 bits: never a valid encoding.
    String body = stripPadding(value);
    if (body == null || body.length() % 4 == 1) {
      throw new TokenException(TokenException.Reason.MALFORMED, "invalid base64url value");
    }
    try {
      return DECODER.decode(body);
    } catch (IllegalArgumentException e) {
      throw new TokenException(TokenException.Reason.MALFORMED, "invalid base64url value");
    }
  }

  /** Encodes without padding. */
  public static String encode(byte[] bytes) {
    return UNPADDED.encodeToString(bytes);
  }

  /** Encodes with padding, as RFC 9577 section 2.1.2 and RFC 9578 section 4 ask senders to. */
  public static String encodePadded(byte[] bytes) {
    return PADDED.encodeToString(bytes);
  }

  /** The value without its padding, or null when the padding is not what the length implies. */
  private static String stripPadding(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '=') {
      end--;
    }
    int pad = value.length() - end;
    if (pad == 0) {
      return value;
    }
    // Padding is only valid when it completes the last quantum exactly (RFC 4648 section 3.2).
    if (value.length() % 4 != 0 || pad > 2 || (4 - end % 4) % 4 != pad) {
      return null;
    }
    return value.substring(0, end);
  }
}
