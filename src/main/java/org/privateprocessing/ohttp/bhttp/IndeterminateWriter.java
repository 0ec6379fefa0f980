package org.privateprocessing.ohttp.bhttp;

import java.util.List;
import java.util.Objects;

/**
 * What both indeterminate-length Binary HTTP writers share (RFC 9292 section 3.2): after the head,
 * {@link #content} any number of times, then {@link #end} once, in that order. A subclass writes
 * the head (the request's control data, the response's status codes) and moves {@link #state} on.
 * Single owner.
 */
abstract sealed class IndeterminateWriter
    permits IndeterminateRequestWriter, IndeterminateResponseWriter {
  enum State {
    START,
    INFORMATIONAL,
    CONTENT,
    ENDED
  }

  private final String message;

  /** Where the writer is; the head moves it to {@link State#CONTENT}. */
  State state = State.START;

  /**
   * @param message the message's name in refusals ("request", "response")
   */
  IndeterminateWriter(String message) {
    this.message = message;
  }

  /**
   * One chunk of content: {@code length || bytes}. Empty content writes nothing, since a zero
   * length would end the content.
   */
  public byte[] content(byte[] piece) {
    Objects.requireNonNull(piece, "piece");
    if (state != State.CONTENT) {
      throw new IllegalStateException("content goes between head and end");
    }
    return Codec.contentChunk(piece);
  }

  /** Ends the content and writes the trailer section; nothing may follow. */
  public byte[] end(List<Field> trailers) {
    List<Field> checked = Codec.checkedFields(trailers);
    if (state != State.CONTENT) {
      throw new IllegalStateException(
          state == State.ENDED ? "the " + message + " already ended" : "write the head first");
    }
    state = State.ENDED;
    return Codec.endOfContent(checked);
  }
}
