package org.privateprocessing.ohttp;

import java.util.List;
import java.util.Objects;

/**
 * Client side of a chunked response (draft-ietf-ohai-chunked-ohttp-08 sections 5 and 6.2),
 * incremental: {@link #feed} the bytes as they arrive and get the plaintext of every chunk they
 * complete; a chunk cut in the middle waits for the rest. At the end of the stream, {@link #finish}
 * opens the final chunk. A response is complete only when {@link #finish} returned: a stream that
 * ends without its final chunk is refused as {@link OhttpException.Reason#TRUNCATED}, never taken
 * for complete (section 7.1). Chunks out of order, replayed, or moved past the final one fail
 * authentication, because each chunk's nonce carries its position.
 *
 * <p>Single use and single owner. After any failure the opener refuses further input with {@link
 * IllegalStateException}: a failed stream cannot be resumed.
 */
public final class ChunkedResponseOpener {
  private final SymmetricSuite suite;
  private final byte[] enc;
  private final byte[] secret;
  private final ChunkLimits limits;
  private final ChunkReader reader;
  private Encapsulation.ResponseKeys keys;
  private long counter;

  ChunkedResponseOpener(SymmetricSuite suite, byte[] enc, byte[] secret, ChunkLimits limits) {
    this.suite = suite;
    this.enc = enc;
    this.secret = secret;
    this.limits = limits;
    this.reader = new ChunkReader(limits, "response", "nonce", this::readNonce, this::open);
  }

  /** The limits this opener enforces. */
  public ChunkLimits limits() {
    return limits;
  }

  /** Feeds all of {@code bytes}; see {@link #feed(byte[], int, int)}. */
  public List<byte[]> feed(byte[] bytes) throws OhttpException {
    Objects.requireNonNull(bytes, "bytes");
    return feed(bytes, 0, bytes.length);
  }

  /**
   * Feeds the next bytes of the response and returns the plaintext of each non-final chunk they
   * complete, in order (possibly none).
   *
   * @throws OhttpException DECRYPTION_FAILED for a chunk that does not authenticate (tampered, out
   *     of order, replayed, or empty), TOO_LARGE past a limit
   * @throws IllegalStateException after {@link #finish} or a failure
   */
  public synchronized List<byte[]> feed(byte[] bytes, int offset, int length)
      throws OhttpException {
    return reader.feed(bytes, offset, length);
  }

  /**
   * Ends the stream: opens the final chunk and returns its plaintext (possibly empty). Only now is
   * the response complete.
   *
   * @throws OhttpException TRUNCATED when the stream ended without its final chunk (or inside the
   *     response nonce), DECRYPTION_FAILED when the final chunk does not authenticate as final
   */
  public synchronized byte[] finish() throws OhttpException {
    return reader.finish();
  }

  /** Whether {@link #finish} succeeded: the whole response arrived, with its final chunk. */
  public synchronized boolean isComplete() {
    return reader.state() == ChunkReader.State.COMPLETE;
  }

  /** The response nonce, then the response keys; false while its bytes have not all arrived. */
  private boolean readNonce() throws OhttpException {
    byte[] nonce = reader.take(Encapsulation.responseNonceLength(suite.aeadId()));
    if (nonce == null) {
      return false;
    }
    keys = new Encapsulation.ResponseKeys(suite, secret, enc, nonce);
    return true;
  }

  private byte[] open(byte[] sealed, boolean last) throws OhttpException {
    byte[] plaintext =
        Hpke.aeadOpen(
            suite.aeadId(),
            keys.key,
            ChunkFraming.chunkNonce(keys.nonce, counter),
            last ? ChunkFraming.FINAL_AAD : ChunkFraming.NON_FINAL_AAD,
            sealed);
    if (plaintext == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED,
          (last ? "final" : "non-final") + " response chunk " + counter + " does not authenticate");
    }
    counter++;
    return plaintext;
  }
}
