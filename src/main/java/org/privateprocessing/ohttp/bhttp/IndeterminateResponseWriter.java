package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Writes a Binary HTTP response in indeterminate-length form (framing indicator 3, RFC 9292 section
 * 3.2) piece by piece, for a response whose content is produced over time: {@link #head} once
 * (after any {@link #informational} responses), {@link #content} any number of times, {@link #end}
 * once. Each call returns the bytes to send; the order is enforced. Single owner.
 */
public final class IndeterminateResponseWriter {
  private enum State {
    START,
    INFORMATIONAL,
    CONTENT,
    ENDED
  }

  private State state = State.START;

  /** An interim (1xx) response, before {@link #head}; the first call also writes the framing. */
  public byte[] informational(InformationalResponse response) {
    Objects.requireNonNull(response, "response");
    if (state != State.START && state != State.INFORMATIONAL) {
      throw new IllegalStateException("informational responses come before the final head");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (state == State.START) {
      VarInt.write(out, Codec.INDETERMINATE_LENGTH_RESPONSE);
    }
    VarInt.write(out, response.status());
    Codec.writeIndeterminateSection(out, response.headers());
    state = State.INFORMATIONAL;
    return out.toByteArray();
  }

  /** The final status (200..599) and header section. */
  public byte[] head(int status, List<Field> headers) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("final status must be 200..599");
    }
    List<Field> checked = Codec.checkedFields(headers);
    if (state != State.START && state != State.INFORMATIONAL) {
      throw new IllegalStateException("the head was already written");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (state == State.START) {
      VarInt.write(out, Codec.INDETERMINATE_LENGTH_RESPONSE);
    }
    VarInt.write(out, status);
    Codec.writeIndeterminateSection(out, checked);
    state = State.CONTENT;
    return out.toByteArray();
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
          state == State.ENDED ? "the response already ended" : "write the head first");
    }
    state = State.ENDED;
    return Codec.endOfContent(checked);
  }
}
