package org.privateprocessing.token;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The TokenChallenge structure, RFC 9577 section 2.1:
 *
 * <pre>
 * struct {
 *   uint16_t token_type;
 *   opaque issuer_name&lt;1..2^16-1&gt;;
 *   opaque redemption_context&lt;0..32&gt;;
 *   opaque origin_info&lt;0..2^16-1&gt;;
 * } TokenChallenge;
 * </pre>
 *
 * <p>{@code redemption_context} is empty or exactly 32 bytes; {@code origin_info} is a
 * comma-separated list of origin names, modelled here as a list (empty when absent). Names are
 * printable ASCII (0x20..0x7E), which keeps {@code encode(parse(x)) == x}: the challenge digest a
 * token binds to is over these exact bytes. Immutable: arrays are copied in and out.
 */
public record TokenChallenge(
    int tokenType, String issuerName, byte[] redemptionContext, List<String> originInfo) {
  /** Length of a non-empty redemption context, RFC 9577 section 2.1. */
  public static final int REDEMPTION_CONTEXT_LENGTH = 32;

  private static final int MAX_U16 = 0xFFFF;

  public TokenChallenge {
    if (tokenType < 0 || tokenType > MAX_U16) {
      throw new IllegalArgumentException("token type is a 16-bit value");
    }
    Objects.requireNonNull(issuerName, "issuerName");
    Objects.requireNonNull(redemptionContext, "redemptionContext");
    if (issuerName.isEmpty() || issuerName.length() > MAX_U16 || !isName(issuerName, true)) {
      throw new IllegalArgumentException("issuer name must be 1..65535 printable ASCII characters");
    }
    if (redemptionContext.length != 0 && redemptionContext.length != REDEMPTION_CONTEXT_LENGTH) {
      throw new IllegalArgumentException("redemption context must be empty or 32 bytes");
    }
    redemptionContext = redemptionContext.clone();
    originInfo = List.copyOf(originInfo);
    int total = 0;
    for (String origin : originInfo) {
      if (origin.isEmpty() || !isName(origin, false)) {
        throw new IllegalArgumentException(
            "origin names are non-empty printable ASCII without ','");
      }
      total += origin.length() + 1;
    }
    if (total - 1 > MAX_U16) {
      throw new IllegalArgumentException("origin info exceeds 65535 bytes");
    }
  }

  /** A challenge without redemption context or origin info. */
  public static TokenChallenge of(int tokenType, String issuerName) {
    return new TokenChallenge(tokenType, issuerName, new byte[0], List.of());
  }

  /** The redemption context (a copy; empty when the challenge carries none). */
  @Override
  public byte[] redemptionContext() {
    return redemptionContext.clone();
  }

  /**
   * Parses exactly one TokenChallenge. Any token type is accepted here (the structure does not
   * depend on it); callers that act on a challenge check {@link TokenTypes#isSupported}.
   */
  public static TokenChallenge parse(byte[] bytes) throws TokenException {
    Objects.requireNonNull(bytes, "bytes");
    int pos = 0;
    if (bytes.length < 4) {
      throw truncated("token type or issuer name length");
    }
    int type = Bytes.u16(bytes, 0);
    int issuerLength = Bytes.u16(bytes, 2);
    pos = 4;
    if (issuerLength == 0) {
      throw malformed("issuer name must not be empty");
    }
    if (bytes.length < pos + issuerLength + 1) {
      throw truncated("issuer name or redemption context length");
    }
    String issuer = ascii(bytes, pos, issuerLength, true);
    pos += issuerLength;
    int contextLength = bytes[pos++] & 0xFF;
    if (contextLength != 0 && contextLength != REDEMPTION_CONTEXT_LENGTH) {
      throw malformed("redemption context must be empty or 32 bytes");
    }
    if (bytes.length < pos + contextLength + 2) {
      throw truncated("redemption context or origin info length");
    }
    byte[] context = Arrays.copyOfRange(bytes, pos, pos + contextLength);
    pos += contextLength;
    int originLength = Bytes.u16(bytes, pos);
    pos += 2;
    if (bytes.length < pos + originLength) {
      throw truncated("origin info");
    }
    if (bytes.length > pos + originLength) {
      throw malformed("bytes follow the token challenge");
    }
    List<String> origins = new ArrayList<>();
    if (originLength > 0) {
      String all = ascii(bytes, pos, originLength, true);
      for (String origin : all.split(",", -1)) {
        if (origin.isEmpty()) {
          throw malformed("origin info has an empty origin name");
        }
        origins.add(origin);
      }
    }
    return new TokenChallenge(type, issuer, context, origins);
  }

  /** The wire encoding of RFC 9577 section 2.1. */
  public byte[] encode() {
    byte[] issuer = issuerName.getBytes(StandardCharsets.US_ASCII);
    byte[] origins = String.join(",", originInfo).getBytes(StandardCharsets.US_ASCII);
    byte[] out =
        new byte[2 + 2 + issuer.length + 1 + redemptionContext.length + 2 + origins.length];
    int pos = 0;
    Bytes.putU16(out, pos, tokenType);
    pos += 2;
    Bytes.putU16(out, pos, issuer.length);
    pos += 2;
    System.arraycopy(issuer, 0, out, pos, issuer.length);
    pos += issuer.length;
    out[pos++] = (byte) redemptionContext.length;
    System.arraycopy(redemptionContext, 0, out, pos, redemptionContext.length);
    pos += redemptionContext.length;
    Bytes.putU16(out, pos, origins.length);
    pos += 2;
    System.arraycopy(origins, 0, out, pos, origins.length);
    return out;
  }

  /** {@code challenge_digest = SHA-256(TokenChallenge)}, RFC 9577 section 2.2. */
  public byte[] digest() {
    return Bytes.sha256(encode());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenChallenge c
        && tokenType == c.tokenType
        && issuerName.equals(c.issuerName)
        && Arrays.equals(redemptionContext, c.redemptionContext)
        && originInfo.equals(c.originInfo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenType, issuerName, Arrays.hashCode(redemptionContext), originInfo);
  }

  @Override
  public String toString() {
    // The redemption context can link a client's redemptions; it is not printed.
    return "TokenChallenge[type="
        + TokenTypes.hex(tokenType)
        + ", issuer="
        + issuerName
        + ", redemptionContext="
        + (redemptionContext.length == 0 ? "empty" : "32 bytes")
        + ", originInfo="
        + originInfo
        + "]";
  }

  private static boolean isName(String s, boolean allowComma) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || (!allowComma && c == ',')) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(byte[] b, int off, int len, boolean allowComma)
      throws TokenException {
    String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
    if (!isName(s, allowComma)) {
      throw malformed("names must be printable ASCII");
    }
    return s;
  }

  private static TokenException truncated(String what) {
    return new TokenException(
        TokenException.Reason.TRUNCATED, "token challenge ends before its " + what);
  }

  private static TokenException malformed(String what) {
    return new TokenException(TokenException.Reason.MALFORMED, what);
  }
}
