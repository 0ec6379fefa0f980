package org.privateprocessing.ohttp;

import java.nio.charset.StandardCharsets;

/** Chunk framing and nonces shared by the chunked roles (draft-ietf-ohai-chunked-ohttp-08). */
final class ChunkFraming {
  /** AAD of the final chunk, the ASCII string "final" (section 6.1 and 6.2). */
  static final byte[] FINAL_AAD = "final".getBytes(StandardCharsets.US_ASCII);

  /** AAD of every other chunk: empty. */
  static final byte[] NON_FINAL_AAD = new byte[0];

  private ChunkFraming() {}

  /**
   * {@code varint_encode(len(sealed)) || sealed} for a non-final chunk, {@code varint_encode(0) ||
   * sealed} for the final one (QUIC variable-length integer, RFC 9000 section 16, minimal).
   */
  static byte[] frame(byte[] sealed, boolean last) {
    long length = last ? 0 : sealed.length;
    int n = length < (1 << 6) ? 1 : length < (1 << 14) ? 2 : length < (1L << 30) ? 4 : 8;
    byte[] out = new byte[n + sealed.length];
    for (int i = 0; i < n; i++) {
      out[n - 1 - i] = (byte) (length >>> (8 * i));
    }
    out[0] |= (byte) (Integer.numberOfTrailingZeros(n) << 6);
    System.arraycopy(sealed, 0, out, n, sealed.length);
    return out;
  }

  /** {@code aead_nonce XOR encode(Nn, counter)} (section 6.2). */
  static byte[] chunkNonce(byte[] baseNonce, long counter) {
    byte[] nonce = baseNonce.clone();
    for (int i = 0; i < Long.BYTES; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (counter >>> (8 * i));
    }
    return nonce;
  }

  /** Refuses plaintext no receiver has to accept, or an empty non-final chunk (section 6). */
  static void checkPlaintext(byte[] plaintext, boolean last) {
    if (plaintext.length > ChunkLimits.MAX_SEND_PLAINTEXT) {
      throw new IllegalArgumentException(
          "a chunk carries at most "
              + ChunkLimits.MAX_SEND_PLAINTEXT
              + " bytes (draft-ietf-ohai-chunked-ohttp section 3); split it");
    }
    if (!last && plaintext.length == 0) {
      throw new IllegalArgumentException(
          "a non-final chunk must not be empty (draft-ietf-ohai-chunked-ohttp section 6)");
    }
  }
}
