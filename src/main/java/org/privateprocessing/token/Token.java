package org.privateprocessing.token;

import java.util.Arrays;
import java.util.Objects;

/**
 * The Token structure, RFC 9577 section 2.2 (per type: RFC 9578 sections 5.3 and 6.3):
 *
 * <pre>
 * struct {
 *   uint16_t token_type;
 *   uint8_t nonce[32];
 *   uint8_t challenge_digest[32];
 *   uint8_t token_key_id[32];
 *   uint8_t authenticator[Nk];
 * } Token;
 * </pre>
 *
 * <p>Nk depends on the type ({@link TokenTypes#authenticatorLength}), so only supported types can
 * be built or parsed. Immutable: arrays are copied in and out.
 */
public record Token(
    int tokenType, byte[] nonce, byte[] challengeDigest, byte[] tokenKeyId, byte[] authenticator) {
  /** Length of the nonce, challenge digest and token key id. */
  public static final int FIELD_LENGTH = 32;

  /**
   * Length of {@link #authenticatorInput()}: token_type || nonce || challenge_digest ||
   * token_key_id.
   */
  public static final int AUTHENTICATOR_INPUT_LENGTH = 2 + 3 * FIELD_LENGTH;

  public Token {
    if (!TokenTypes.isSupported(tokenType)) {
      throw new IllegalArgumentException("unsupported token type " + TokenTypes.hex(tokenType));
    }
    nonce = Bytes.copyOf(nonce, FIELD_LENGTH, "nonce");
    challengeDigest = Bytes.copyOf(challengeDigest, FIELD_LENGTH, "challengeDigest");
    tokenKeyId = Bytes.copyOf(tokenKeyId, FIELD_LENGTH, "tokenKeyId");
    authenticator =
        Bytes.copyOf(authenticator, TokenTypes.authenticatorLength(tokenType), "authenticator");
  }

  /** Parses exactly one token; its length must be 98 + Nk for its type. */
  public static Token parse(byte[] bytes) throws TokenException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 2) {
      throw new TokenException(TokenException.Reason.TRUNCATED, "token ends before its type");
    }
    int type = Bytes.u16(bytes, 0);
    if (!TokenTypes.isSupported(type)) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE, "token type " + TokenTypes.hex(type));
    }
    int length = AUTHENTICATOR_INPUT_LENGTH + TokenTypes.authenticatorLength(type);
    if (bytes.length < length) {
      throw new TokenException(
          TokenException.Reason.TRUNCATED, "token is shorter than " + length + " bytes");
    }
    if (bytes.length > length) {
      throw new TokenException(TokenException.Reason.MALFORMED, "bytes follow the token");
    }
    return new Token(
        type,
        Arrays.copyOfRange(bytes, 2, 34),
        Arrays.copyOfRange(bytes, 34, 66),
        Arrays.copyOfRange(bytes, 66, AUTHENTICATOR_INPUT_LENGTH),
        Arrays.copyOfRange(bytes, AUTHENTICATOR_INPUT_LENGTH, length));
  }

  /** The wire encoding. */
  public byte[] encode() {
    byte[] out = new byte[AUTHENTICATOR_INPUT_LENGTH + authenticator.length];
    writeInput(out);
    System.arraycopy(authenticator, 0, out, AUTHENTICATOR_INPUT_LENGTH, authenticator.length);
    return out;
  }

  /**
   * token_type || nonce || challenge_digest || token_key_id: the first 98 bytes, the message the
   * authenticator covers (RFC 9578 sections 5.3 and 6.3; RFC 9577 section 2.2).
   */
  public byte[] authenticatorInput() {
    byte[] out = new byte[AUTHENTICATOR_INPUT_LENGTH];
    writeInput(out);
    return out;
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] challengeDigest() {
    return challengeDigest.clone();
  }

  @Override
  public byte[] tokenKeyId() {
    return tokenKeyId.clone();
  }

  @Override
  public byte[] authenticator() {
    return authenticator.clone();
  }

  /** Whether this token was made for {@code challenge} (constant time over the digest). */
  public boolean isFor(TokenChallenge challenge) {
    return challenge.tokenType() == tokenType
        && java.security.MessageDigest.isEqual(challengeDigest, challenge.digest());
  }

  /** Package-private views without copying, for the verifier's hot path. */
  byte[] authenticatorView() {
    return authenticator;
  }

  byte[] tokenKeyIdView() {
    return tokenKeyId;
  }

  private void writeInput(byte[] out) {
    Bytes.putU16(out, 0, tokenType);
    System.arraycopy(nonce, 0, out, 2, FIELD_LENGTH);
    System.arraycopy(challengeDigest, 0, out, 34, FIELD_LENGTH);
    System.arraycopy(tokenKeyId, 0, out, 66, FIELD_LENGTH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token t
        && tokenType == t.tokenType
        && Arrays.equals(nonce, t.nonce)
        && Arrays.equals(challengeDigest, t.challengeDigest)
        && Arrays.equals(tokenKeyId, t.tokenKeyId)
        && Arrays.equals(authenticator, t.authenticator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        tokenType,
        Arrays.hashCode(nonce),
        Arrays.hashCode(challengeDigest),
        Arrays.hashCode(tokenKeyId),
        Arrays.hashCode(authenticator));
  }

  @Override
  public String toString() {
    // A token is a bearer credential: never print its bytes.
    return "Token[type="
        + TokenTypes.hex(tokenType)
        + ", "
        + (AUTHENTICATOR_INPUT_LENGTH + authenticator.length)
        + " bytes]";
  }
}
