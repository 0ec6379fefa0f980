package org.privateprocessing.infer;

/**
 * Where a streaming model puts the text of its answer as it writes it, so that the enclave can seal
 * each piece as a chunk and the user reads while the rest is written. A sink sees the text in
 * order; the concatenation of every piece it received is the text of the answer the call returns
 * (for {@code suggest}, the text of the first suggestion).
 */
@FunctionalInterface
public interface TextSink {
  /**
   * One piece of the answer's text, in order, never empty. Called on the model's (worker) thread;
   * it may block until the reader has room, which is how a slow reader slows the model down instead
   * of filling a buffer.
   */
  void text(String piece);
}
