package org.privateprocessing.token;

import java.util.Objects;

/**
 * Token key identifiers, RFC 9578 sections 5 and 6: {@code token_key_id = SHA-256(encoded key)},
 * and the one-byte {@code truncated_token_key_id} a TokenRequest carries is its last byte.
 */
public final class TokenKeyIds {
  /** Length of a token key id (SHA-256 output). */
  public static final int LENGTH = 32;

  private TokenKeyIds() {}

  /** SHA-256 over the encoded public key (SerializeElement for type 1, the SPKI for type 2). */
  public static byte[] tokenKeyId(byte[] encodedPublicKey) {
    Objects.requireNonNull(encodedPublicKey, "encodedPublicKey");
    return Bytes.sha256(encodedPublicKey);
  }

  /**
   * The least significant (last) byte of the token key id, 0..255 (RFC 9578 sections 5.1 and 6.1).
   */
  public static int truncated(byte[] tokenKeyId) {
    Objects.requireNonNull(tokenKeyId, "tokenKeyId");
    if (tokenKeyId.length != LENGTH) {
      throw new IllegalArgumentException("token key id must be " + LENGTH + " bytes");
    }
    return tokenKeyId[LENGTH - 1] & 0xFF;
  }
}
