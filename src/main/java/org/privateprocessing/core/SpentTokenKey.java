package org.privateprocessing.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A spent token's map key: {@link #hash}, the domain-separated SHA-256 of its key id and whole
 * nonce. Its hash code is the digest's first eight bytes, which no client can steer (a client picks
 * its nonce, not the digest of it). Shared by the in-memory and the file store, so both name a
 * token the same way.
 */
final class SpentTokenKey {
  private static final byte[] DOMAIN =
      "private-processing spent token v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final int hash;

  /** Wraps a digest {@link #hash} made (32 bytes), not copied. */
  SpentTokenKey(byte[] digest) {
    this.bytes = digest;
    this.hash = Long.hashCode(ByteBuffer.wrap(digest, 0, 8).getLong());
  }

  /** The key of the token with {@code tokenKeyId} and {@code nonce}. */
  static SpentTokenKey of(byte[] tokenKeyId, byte[] nonce) {
    return new SpentTokenKey(hash(tokenKeyId, nonce));
  }

  /**
   * {@code SHA-256("private-processing spent token v1" || key id length (4 bytes, big-endian) ||
   * key id || nonce)}: what the file and Redis stores record for a token.
   */
  static byte[] hash(byte[] tokenKeyId, byte[] nonce) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN);
      sha.update(ByteBuffer.allocate(4).putInt(tokenKeyId.length).array());
      sha.update(tokenKeyId);
      sha.update(nonce);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest (not copied: callers only write it to a file). */
  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpentTokenKey k && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
