package org.privateprocessing.token;

import java.util.Arrays;
import java.util.Objects;

/**
 * The TokenRequest structure, RFC 9578 sections 5.1 (type 1) and 6.1 (type 2):
 *
 * <pre>
 * struct {
 *   uint16_t token_type;
 *   uint8_t truncated_token_key_id;
 *   uint8_t blinded_msg[Ne];   // Ne = 49 for type 1, Nk = 256 for type 2
 * } TokenRequest;
 * </pre>
 *
 * Immutable: the blinded message is copied in and out.
 */
public record TokenRequest(int tokenType, int truncatedTokenKeyId, byte[] blindedMsg) {
  public TokenRequest {
    if (!TokenTypes.isSupported(tokenType)) {
      throw new IllegalArgumentException("unsupported token type " + TokenTypes.hex(tokenType));
    }
    if (truncatedTokenKeyId < 0 || truncatedTokenKeyId > 0xFF) {
      throw new IllegalArgumentException("truncated token key id is an 8-bit value");
    }
    blindedMsg = Bytes.copyOf(blindedMsg, TokenTypes.blindedMessageLength(tokenType), "blindedMsg");
  }

  /** Parses exactly one token request (media type {@link MediaTypes#TOKEN_REQUEST}). */
  public static TokenRequest parse(byte[] bytes) throws TokenException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 2) {
      throw new TokenException(
          TokenException.Reason.TRUNCATED, "token request ends before its type");
    }
    int type = Bytes.u16(bytes, 0);
    if (!TokenTypes.isSupported(type)) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE, "token request type " + TokenTypes.hex(type));
    }
    int length = 3 + TokenTypes.blindedMessageLength(type);
    if (bytes.length < length) {
      throw new TokenException(
          TokenException.Reason.TRUNCATED, "token request is shorter than " + length + " bytes");
    }
    if (bytes.length > length) {
      throw new TokenException(TokenException.Reason.MALFORMED, "bytes follow the token request");
    }
    return new TokenRequest(type, bytes[2] & 0xFF, Arrays.copyOfRange(bytes, 3, length));
  }

  /** The wire encoding. */
  public byte[] encode() {
    byte[] out = new byte[3 + blindedMsg.length];
    Bytes.putU16(out, 0, tokenType);
    out[2] = (byte) truncatedTokenKeyId;
    System.arraycopy(blindedMsg, 0, out, 3, blindedMsg.length);
    return out;
  }

  @Override
  public byte[] blindedMsg() {
    return blindedMsg.clone();
  }

  byte[] blindedMsgView() {
    return blindedMsg;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenRequest r
        && tokenType == r.tokenType
        && truncatedTokenKeyId == r.truncatedTokenKeyId
        && Arrays.equals(blindedMsg, r.blindedMsg);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenType, truncatedTokenKeyId, Arrays.hashCode(blindedMsg));
  }

  @Override
  public String toString() {
    return "TokenRequest[type="
        + TokenTypes.hex(tokenType)
        + ", truncatedTokenKeyId="
        + truncatedTokenKeyId
        + "]";
  }
}
