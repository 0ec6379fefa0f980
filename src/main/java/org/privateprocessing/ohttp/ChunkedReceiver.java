package org.privateprocessing.ohttp;

import java.util.List;
import java.util.Objects;

/**
 * The life of a received chunked message both receivers share (draft-ietf-ohai-chunked-ohttp-08
 * sections 4 to 7): {@link #feed} reads the fixed prefix (a request's header and encapsulated key,
 * a response's nonce), then opens each non-final chunk as soon as it is complete; {@link #finish}
 * opens the final chunk at the end of the stream, and only then is the message complete (section
 * 7.1). After any failure, or once finished, it refuses further input with {@link
 * IllegalStateException}. A subclass reads its prefix and opens a chunk with its own keys.
 *
 * <p>Single owner; the public methods are synchronized on the receiver.
 */
abstract sealed class ChunkedReceiver permits ChunkedRequestDecapsulator, ChunkedResponseOpener {
  /** The life of the stream. */
  enum State {
    OPEN,
    COMPLETE,
    FAILED
  }

  /** The bytes received and not yet opened. */
  final ChunkReader reader;

  private final String what;
  private final String prefixName;
  private final ChunkReader.Opener opener = this::open;
  private boolean prefixRead;
  private State state = State.OPEN;

  /**
   * @param what names the message in refusals ("request", "response")
   * @param prefixName names the prefix in refusals ("nonce", ...)
   */
  ChunkedReceiver(ChunkLimits limits, String what, String prefixName) {
    this.reader = new ChunkReader(limits, what);
    this.what = what;
    this.prefixName = prefixName;
  }

  /**
   * Reads the fixed prefix from {@link #reader} with {@link ChunkReader#take} and sets up the keys.
   *
   * @return false while its bytes have not all arrived (called again with the next bytes)
   */
  abstract boolean readPrefix() throws OhttpException;

  /** Opens one sealed chunk; {@code last} selects the final chunk's AAD. */
  abstract byte[] open(byte[] sealed, boolean last) throws OhttpException;

  /** Feeds all of {@code bytes}; see {@link #feed(byte[], int, int)}. */
  public List<byte[]> feed(byte[] bytes) throws OhttpException {
    Objects.requireNonNull(bytes, "bytes");
    return feed(bytes, 0, bytes.length);
  }

  /**
   * Feeds the next bytes of the message and returns the plaintext of each non-final chunk they
   * complete, in order (possibly none).
   *
   * @throws OhttpException for a request's header (TRUNCATED never: it waits; UNKNOWN_KEY_ID,
   *     UNSUPPORTED_KEM, UNSUPPORTED_SUITE), DECRYPTION_FAILED for a key or chunk that does not
   *     authenticate (tampered, out of order, replayed, or empty), TOO_LARGE past a limit
   * @throws IllegalStateException after {@link #finish} or a failure
   */
  public synchronized List<byte[]> feed(byte[] bytes, int offset, int length)
      throws OhttpException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    requireOpen();
    try {
      reader.append(bytes, offset, length);
      if (!prefixRead) {
        if (!readPrefix()) {
          return List.of();
        }
        prefixRead = true;
      }
      return reader.openChunks(opener);
    } catch (OhttpException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Ends the stream: opens the final chunk and returns its plaintext (possibly empty). Only now is
   * the message complete.
   *
   * @throws OhttpException TRUNCATED when the stream ended inside its prefix (a request's header or
   *     encapsulated key, a response's nonce) or without its final chunk, DECRYPTION_FAILED when
   *     the final chunk does not authenticate as final
   */
  public synchronized byte[] finish() throws OhttpException {
    requireOpen();
    try {
      if (!prefixRead) {
        throw new OhttpException(
            OhttpException.Reason.TRUNCATED, "chunked " + what + " ended inside its " + prefixName);
      }
      byte[] plaintext = reader.openFinal(opener);
      state = State.COMPLETE;
      return plaintext;
    } catch (OhttpException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /** Whether {@link #finish} succeeded: the whole message arrived, with its final chunk. */
  public synchronized boolean isComplete() {
    return state == State.COMPLETE;
  }

  /** Where the stream is (for a subclass's {@code toString}); hold the lock. */
  final State state() {
    return state;
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          state == State.COMPLETE
              ? "the " + what + " is complete; no bytes may follow its final chunk"
              : "the " + what + " stream already failed");
    }
  }
}
