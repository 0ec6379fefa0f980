package org.privateprocessing.enclave;

/**
 * Where a streamed answer's sealed bytes go, in order: the response nonce, then each framed chunk,
 * the last one flagged. {@link #send} may block the model's worker thread until the reader has
 * room, which is how a reader that stops reading stops the model instead of filling a buffer.
 */
public interface ChunkOutlet {
  /**
   * Sends the next bytes of the chunked response.
   *
   * @throws StreamCut when the reader is gone or did not make room in time: nothing more will be
   *     read, so the writer stops
   */
  void send(byte[] bytes, boolean last);

  /** Thrown when the stream cannot go on; carries no content. */
  final class StreamCut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StreamCut(String why) {
      super(why, null, false, false);
    }

    /** The cut in {@code t}'s chain of causes (a model may wrap what its sink threw), or null. */
    static StreamCut in(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof StreamCut cut) {
          return cut;
        }
        if (c.getCause() == c) {
          break;
        }
      }
      return null;
    }
  }
}
