package org.privateprocessing.ohttp;

/**
 * What a receiver of a chunked message (draft-ietf-ohai-chunked-ohttp-08) accepts: the longest
 * chunk, counted as sealed bytes (plaintext plus the 16-byte AEAD tag), and the longest stream,
 * counted from its first byte (header or response nonce) to its last. Anything longer is refused
 * with {@link OhttpException.Reason#TOO_LARGE} as soon as it is announced or seen, so a receiver
 * never holds more than one chunk of a stream.
 *
 * @param maxChunkLength the longest sealed chunk; at least {@value #MIN_CHUNK_LENGTH}, because
 *     section 3 of the draft requires receiving chunks of 2^14 plaintext bytes
 * @param maxTotalLength the longest stream, in bytes
 */
public record ChunkLimits(int maxChunkLength, long maxTotalLength) {
  /** The plaintext size that every receiver must accept, and that senders keep to (section 3). */
  public static final int MAX_SEND_PLAINTEXT = 1 << 14;

  /** {@link #MAX_SEND_PLAINTEXT} plus the AEAD tag. */
  public static final int MIN_CHUNK_LENGTH = MAX_SEND_PLAINTEXT + Hpke.NT;

  /** 64 KiB chunks, 8 MiB streams. */
  public static final ChunkLimits DEFAULT = new ChunkLimits((1 << 16) + Hpke.NT, 8L << 20);

  public ChunkLimits {
    if (maxChunkLength < MIN_CHUNK_LENGTH) {
      throw new IllegalArgumentException(
          "maxChunkLength must be at least "
              + MIN_CHUNK_LENGTH
              + " (2^14 plaintext bytes plus the tag, draft-ietf-ohai-chunked-ohttp section 3)");
    }
    if (maxTotalLength < 1) {
      throw new IllegalArgumentException("maxTotalLength must be positive");
    }
  }
}
