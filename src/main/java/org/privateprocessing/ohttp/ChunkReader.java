package org.privateprocessing.ohttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental reader of the framing shared by chunked requests and responses
 * (draft-ietf-ohai-chunked-ohttp-08 sections 4 and 5): a fixed prefix (header and encapsulated key,
 * or response nonce), then non-final chunks {@code Length (i) = 1.., sealed chunk}, then {@code
 * Length (i) = 0} and the final sealed chunk, which runs to the end of the stream.
 *
 * <p>Bytes are appended as they arrive; a chunk cut in the middle stays buffered until the rest
 * arrives. The buffer never holds more than one chunk plus the bytes of one append: lengths above
 * {@link ChunkLimits#maxChunkLength()} are refused when announced, and the stream as a whole is
 * counted against {@link ChunkLimits#maxTotalLength()}. Not thread-safe; its owner serialises.
 */
final class ChunkReader {
  private final ChunkLimits limits;
  private final String what;
  private byte[] buf = new byte[512];
  private int start;
  private int end;
  private long total;
  private boolean inFinal;

  /**
   * @param what names the stream in messages ("request", "response")
   */
  ChunkReader(ChunkLimits limits, String what) {
    this.limits = limits;
    this.what = what;
  }

  /** Appends bytes that arrived; refuses them, keeping nothing, past the total limit. */
  void append(byte[] data, int offset, int length) throws OhttpException {
    if (total + length > limits.maxTotalLength()) {
      throw new OhttpException(
          OhttpException.Reason.TOO_LARGE,
          "chunked " + what + " longer than " + limits.maxTotalLength() + " bytes");
    }
    if (inFinal && available() + length > limits.maxChunkLength()) {
      throw new OhttpException(
          OhttpException.Reason.TOO_LARGE,
          "final chunk of the " + what + " longer than " + limits.maxChunkLength() + " bytes");
    }
    total += length;
    ensureRoom(length);
    System.arraycopy(data, offset, buf, end, length);
    end += length;
  }

  int available() {
    return end - start;
  }

  /** The next {@code n} bytes of the prefix, or null while fewer have arrived. */
  byte[] take(int n) {
    if (available() < n) {
      return null;
    }
    byte[] out = Arrays.copyOfRange(buf, start, start + n);
    start += n;
    return out;
  }

  /** Whether the final-chunk indicator (a zero length) has been read. */
  boolean inFinal() {
    return inFinal;
  }

  /**
   * The next complete non-final sealed chunk, or null when its bytes have not all arrived or the
   * final-chunk indicator was read (then {@link #inFinal()} turns true).
   */
  byte[] nextChunk() throws OhttpException {
    if (inFinal || available() == 0) {
      return null;
    }
    int varintLength = 1 << ((buf[start] & 0xFF) >>> 6);
    if (available() < varintLength) {
      return null;
    }
    long length = buf[start] & 0x3F;
    for (int i = 1; i < varintLength; i++) {
      length = (length << 8) | (buf[start + i] & 0xFF);
    }
    if (length == 0) {
      start += varintLength;
      inFinal = true;
      if (available() > limits.maxChunkLength()) {
        throw new OhttpException(
            OhttpException.Reason.TOO_LARGE,
            "final chunk of the " + what + " longer than " + limits.maxChunkLength() + " bytes");
      }
      return null;
    }
    if (length > limits.maxChunkLength()) {
      throw new OhttpException(
          OhttpException.Reason.TOO_LARGE,
          "chunk of the "
              + what
              + " announces "
              + length
              + " bytes; the limit is "
              + limits.maxChunkLength());
    }
    if (available() - varintLength < length) {
      return null;
    }
    int from = start + varintLength;
    byte[] chunk = Arrays.copyOfRange(buf, from, from + (int) length);
    start = from + (int) length;
    return chunk;
  }

  /**
   * At the end of the stream: the final sealed chunk, or null when the final-chunk indicator never
   * came (the stream is incomplete, draft section 7.1).
   */
  byte[] finalChunk() {
    if (!inFinal) {
      return null;
    }
    byte[] out = Arrays.copyOfRange(buf, start, end);
    start = end;
    return out;
  }

  /** Opens one sealed chunk; {@code last} selects the final chunk's AAD. */
  @FunctionalInterface
  interface Opener {
    byte[] open(byte[] sealed, boolean last) throws OhttpException;
  }

  /**
   * Opens every non-final chunk complete so far, in order. An empty non-final chunk is refused (the
   * draft forbids it: a zero length announces the final chunk).
   */
  List<byte[]> openChunks(Opener opener) throws OhttpException {
    List<byte[]> out = new ArrayList<>();
    for (byte[] sealed = nextChunk(); sealed != null; sealed = nextChunk()) {
      byte[] plaintext = opener.open(sealed, false);
      if (plaintext.length == 0) {
        throw new OhttpException(
            OhttpException.Reason.DECRYPTION_FAILED, "empty non-final " + what + " chunk");
      }
      out.add(plaintext);
    }
    return out;
  }

  /**
   * Opens the final chunk once the stream has ended.
   *
   * @throws OhttpException TRUNCATED when the stream ended without it: the message is incomplete
   *     and must never be taken for a whole one
   */
  byte[] openFinal(Opener opener) throws OhttpException {
    byte[] sealed = finalChunk();
    if (sealed == null) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED,
          "chunked " + what + " ended without its final chunk: the " + what + " is incomplete");
    }
    return opener.open(sealed, true);
  }

  private void ensureRoom(int length) {
    if (buf.length - end >= length) {
      return;
    }
    int live = available();
    if (buf.length - live >= length && start > 0) {
      System.arraycopy(buf, start, buf, 0, live);
    } else {
      byte[] bigger = new byte[Math.max(buf.length * 2, live + length)];
      System.arraycopy(buf, start, bigger, 0, live);
      buf = bigger;
    }
    start = 0;
    end = live;
  }
}
